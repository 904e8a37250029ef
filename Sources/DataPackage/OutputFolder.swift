import Foundation
import Zoning
#if canImport(Glibc)
import Glibc
#endif

/// Writes `data` to `url` atomically: a temporary file in the same directory, then a rename, so a reader
/// never sees a half-written file and a failure leaves no partial output.
public func writeAtomically(_ data: Data, to url: URL) throws {
    removeStaleTemporaries(for: url)
    let dir = url.deletingLastPathComponent()
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    do {
        try data.write(to: tmp)
        // rename(2) replaces the target atomically on POSIX file systems.
        if rename(tmp.path, url.path) != 0 {
            throw DataError(file: url.path, message: "cannot rename the temporary file: \(String(cString: strerror(errno)))")
        }
    } catch let e as DataError {
        try? FileManager.default.removeItem(at: tmp)
        throw e
    } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw DataError(file: url.path, message: "cannot write: \(error.localizedDescription)")
    }
}

/// Publishes the files of one run as a whole folder, so that a reader of the folder sees all of the old run or
/// all of the new one, never a mix (issue 11):
///
/// 1. every file is written into a staging folder next to the target (`.NAME.staging-PID-RANDOM`), and synced;
/// 2. the staging folder is swapped with the target in one step (`renameat2(RENAME_EXCHANGE)` on Linux), or
///    renamed into place when there is no target yet; where the exchange is not available the old folder is
///    renamed aside first (a reader then briefly sees no folder, still never a mix);
/// 3. the old run's folder, now under the staging name, is removed.
///
/// Staging and old folders of runs that were killed are removed by the next run (their process no longer
/// exists). A target that holds files zorgzones did not write (not listed in its `manifest.json`, not a staging
/// leftover) is refused rather than replaced, so `--out .` cannot wipe a working directory.
public enum OutputFolder {
    ///
    /// With `keepOthers` (for `compare --out`, where several comparisons share a folder), the target's other
    /// files are carried over into the new folder as hard links instead, so only this run's files change.
    public static func publish(_ files: [(name: String, data: Data)], to directory: URL, keepOthers: Bool = false) throws {
        let fm = FileManager.default
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let base = target.lastPathComponent
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: parent.path, message: "cannot create the folder: \(error.localizedDescription)")
        }
        removeLeftovers(in: parent, base: base)
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else {
                throw DataError(file: target.path, message: "exists and is not a folder")
            }
            if !keepOthers { try checkOwnedByUs(target, newFiles: Set(files.map(\.name))) }
        }
        let staging = parent.appendingPathComponent(".\(base).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for f in files {
                let url = staging.appendingPathComponent(f.name)
                guard fm.createFile(atPath: url.path, contents: f.data) else {
                    throw DataError(file: url.path, message: "cannot write: \(String(cString: strerror(errno)))")
                }
                syncPath(url.path)
            }
            if exists && keepOthers {
                let new = Set(files.map(\.name))
                for name in try fm.contentsOfDirectory(atPath: target.path) where !new.contains(name) {
                    let from = target.appendingPathComponent(name), to = staging.appendingPathComponent(name)
                    var dir: ObjCBool = false
                    _ = fm.fileExists(atPath: from.path, isDirectory: &dir)
                    if dir.boolValue {
                        throw DataError(file: from.path, message: "the output folder holds a folder; only files can be carried over into the new run's folder")
                    }
                    if link(from.path, to.path) != 0 { try fm.copyItem(at: from, to: to) }
                }
            }
            syncPath(staging.path)
            if exists {
                if exchange(staging.path, target.path) {
                    // `staging` now holds the old run.
                } else {
                    let aside = parent.appendingPathComponent(".\(base).old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
                    try renameOrThrow(target.path, aside.path)
                    try renameOrThrow(staging.path, target.path)
                    try? fm.removeItem(at: aside)
                }
            } else {
                try renameOrThrow(staging.path, target.path)
            }
            syncPath(parent.path)
            try? fm.removeItem(at: staging)
        } catch let e as DataError {
            try? fm.removeItem(at: staging)
            throw e
        } catch {
            try? fm.removeItem(at: staging)
            throw DataError(file: target.path, message: "cannot write the output folder: \(error.localizedDescription)")
        }
    }

    /// The files of an existing target must all be ours: listed by its manifest, or about to be replaced.
    static func checkOwnedByUs(_ target: URL, newFiles: Set<String>) throws {
        let fm = FileManager.default
        let present = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
        var ours = newFiles
        if let data = fm.contents(atPath: target.appendingPathComponent("manifest.json").path),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for key in ["layers", "files"] {
                for entry in (json[key] as? [[String: Any]]) ?? [] {
                    if let f = entry["file"] as? String { ours.insert(f) }
                }
            }
        }
        let foreign = present.filter { !ours.contains($0) && !$0.hasPrefix(".") }.sorted()
        if !foreign.isEmpty {
            throw DataError(file: target.path, message: "holds files that this run would not write (\(foreign.prefix(5).joined(separator: ", "))\(foreign.count > 5 ? ", …" : "")); the whole folder is replaced, so choose a new or empty folder")
        }
    }

    /// Removes `.BASE.staging-PID-*` and `.BASE.old-PID-*` folders whose process is gone.
    static func removeLeftovers(in parent: URL, base: String) {
        removeLeftoversOfDeadProcesses(in: parent, prefixes: [".\(base).staging-", ".\(base).old-"])
    }
}

/// Whether a process with this id exists (kill(pid, 0): EPERM means it exists but is not ours).
package func processExists(_ pid: Int32) -> Bool {
    if pid == getpid() { return true }
    return kill(pid, 0) == 0 || errno == EPERM
}

/// Removes temporary files `.NAME.tmp-PID-*` next to `url` left by killed runs of `writeAtomically`.
package func removeStaleTemporaries(for url: URL) {
    removeLeftoversOfDeadProcesses(in: url.deletingLastPathComponent(), prefixes: [".\(url.lastPathComponent).tmp-"])
}

/// Removes the entries of `dir` named PREFIX + PID + "-…" whose process no longer exists.
package func removeLeftoversOfDeadProcesses(in dir: URL, prefixes: [String]) {
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] {
        for prefix in prefixes where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), !processExists(pid) {
                try? fm.removeItem(at: dir.appendingPathComponent(name))
            }
        }
    }
}

private func renameOrThrow(_ from: String, _ to: String) throws {
    if rename(from, to) != 0 {
        throw DataError(file: to, message: "cannot rename \(from): \(String(cString: strerror(errno)))")
    }
}

private func syncPath(_ path: String) {
    let fd = open(path, O_RDONLY)
    if fd >= 0 { _ = fsync(fd); close(fd) }
}

/// Atomically exchanges two paths with renameat2(RENAME_EXCHANGE), looked up at run time (glibc ≥ 2.28 has it;
/// Swift's Glibc module does not export it). False when it is not available or fails.
private func exchange(_ a: String, _ b: String) -> Bool {
    #if os(Linux)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
    let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
    let renameExchange: UInt32 = 2
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    #else
    return false
    #endif
}
