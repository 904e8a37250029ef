import Foundation

/// The JSON of every report, manifest and answer: pretty-printed, keys sorted and in snake_case, slashes as
/// written. One encoder setting for the rule report, the comparison report, the manifest and the proposals.
public func snakeCaseJSON<T: Encodable>(_ value: T) throws -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    enc.keyEncodingStrategy = .convertToSnakeCase
    return try enc.encode(value)
}
