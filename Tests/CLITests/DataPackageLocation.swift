import Foundation
import TestSupport

/// The data package the CLI tests run on (they fail, never skip, without it).
enum RealData {
    static let directory = TestData.directory
}
