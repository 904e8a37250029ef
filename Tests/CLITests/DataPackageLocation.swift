import Foundation

/// The data package: $ZORGZONES_DATA, else ../shared/geodata next to the repository. The CLI tests need it; a
/// missing package makes them fail (the commands exit 2 naming the directory), never skip.
enum RealData {
    static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["ZORGZONES_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/geodata")
    }()
}
