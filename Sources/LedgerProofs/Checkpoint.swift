import LedgerCrypto

/// A C2SP tlog-checkpoint body: the text a log signs to commit to its tree.
///
///     <origin>\n
///     <size, decimal, no leading zeros>\n
///     <root hash, standard base64 with padding>\n
///     [<extension line>\n]...
///
/// Parsing is strict, so that `Checkpoint.parse(text).text == text` for every accepted text
/// and two different texts never describe the same tree: a trailing newline is required;
/// every line is non-empty and free of ASCII control characters; the size has no sign,
/// spaces or leading zeros and fits in 64 bits; the root is the canonical base64 of exactly
/// 32 bytes. The origin is the log's identity and is compared byte for byte by callers.
public struct Checkpoint: Sendable, Equatable {
    /// Limits that keep a hostile checkpoint from costing much: generous for real logs.
    public static let lineByteCountMax = 1024
    public static let extensionLineCountMax = 32

    public let origin: String
    public let size: UInt64
    public let root: SHA256Digest
    /// Lines after the root, in order. C2SP marks them NOT RECOMMENDED; accepted, not interpreted.
    public let extensionLines: [String]

    public init(
        origin: String, size: UInt64, root: SHA256Digest, extensionLines: [String] = []
    ) throws(CheckpointError) {
        try Checkpoint.checkLine(origin, lineNumber: 1)
        guard extensionLines.count <= Checkpoint.extensionLineCountMax else {
            throw .tooManyExtensionLines(count: extensionLines.count)
        }
        for (offset, line) in extensionLines.enumerated() {
            try Checkpoint.checkLine(line, lineNumber: 4 + offset)
        }
        self.origin = origin
        self.size = size
        self.root = root
        self.extensionLines = extensionLines
    }

    /// The checkpoint text, every line newline-terminated: the text of the signed note.
    public var text: String {
        var lines = [self.origin, String(self.size), Base64.encode(self.root.bytes)]
        lines.append(contentsOf: self.extensionLines)
        return lines.map { $0 + "\n" }.joined()
    }

    public static func parse(_ text: String) throws(CheckpointError) -> Checkpoint {
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "\n") else { throw .missingFinalNewline }
        let lines = bytes.dropLast().split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
        )
        .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw .tooFewLines(count: lines.count) }
        for (offset, line) in lines.enumerated() {
            try checkLine(line, lineNumber: offset + 1)
        }
        let size = try parseSize(lines[1])
        guard let rootBytes = Base64.decode(lines[2]), rootBytes.count == SHA256Digest.byteCount
        else {
            throw .malformedRootHash(lines[2])
        }
        let checkpoint = try Checkpoint(
            origin: lines[0], size: size, root: SHA256Digest(bytes: rootBytes),
            extensionLines: Array(lines.dropFirst(3)))
        assert(checkpoint.text == text, "strict parsing must round-trip")
        return checkpoint
    }

    /// Decimal digits only, "0" or no leading zero, at most UInt64.max.
    private static func parseSize(_ line: String) throws(CheckpointError) -> UInt64 {
        let digits = Array(line.utf8)
        let allDigits = digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard allDigits, digits.count == 1 || digits.first != UInt8(ascii: "0"),
            let size = UInt64(line)
        else {
            throw .malformedSize(line)
        }
        return size
    }

    private static func checkLine(_ line: String, lineNumber: Int) throws(CheckpointError) {
        let bytes = line.utf8
        guard !bytes.isEmpty else { throw .emptyLine(lineNumber: lineNumber) }
        guard bytes.count <= lineByteCountMax else { throw .lineTooLong(lineNumber: lineNumber) }
        // Also rejects "\n" inside a line given to the initialiser.
        guard bytes.allSatisfy({ $0 >= 0x20 }) else {
            throw .controlCharacter(lineNumber: lineNumber)
        }
    }
}

/// Why a checkpoint text was refused. Line numbers are 1-based.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingFinalNewline
    case tooFewLines(count: Int)
    case emptyLine(lineNumber: Int)
    case lineTooLong(lineNumber: Int)
    case controlCharacter(lineNumber: Int)
    case tooManyExtensionLines(count: Int)
    case malformedSize(String)
    case malformedRootHash(String)

    public var description: String {
        switch self {
        case .missingFinalNewline: "checkpoint does not end in a newline"
        case .tooFewLines(let count):
            "checkpoint has \(count) lines; origin, size and root hash are required"
        case .emptyLine(let lineNumber): "checkpoint line \(lineNumber) is empty"
        case .lineTooLong(let lineNumber):
            "checkpoint line \(lineNumber) is longer than \(Checkpoint.lineByteCountMax) bytes"
        case .controlCharacter(let lineNumber):
            "checkpoint line \(lineNumber) contains a control character"
        case .tooManyExtensionLines(let count):
            "checkpoint has \(count) extension lines, more than \(Checkpoint.extensionLineCountMax)"
        case .malformedSize(let line):
            "checkpoint size '\(line)' is not a decimal number without leading zeros"
        case .malformedRootHash(let line): "checkpoint root '\(line)' is not the base64 of 32 bytes"
        }
    }
}
