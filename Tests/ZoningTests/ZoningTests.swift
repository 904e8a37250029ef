import Testing
@testable import Zoning
