import LedgerCrypto
import LedgerProofs
import Testing

@Suite struct CheckpointTests {
    static let rootBase64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="

    @Test func parsesAndRoundTrips() throws {
        let text = "example.com/ledger\n8\n\(Self.rootBase64)\n"
        let checkpoint = try Checkpoint.parse(text)
        #expect(checkpoint.origin == "example.com/ledger")
        #expect(checkpoint.size == 8)
        #expect(
            checkpoint.root.hex
                == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        #expect(checkpoint.extensionLines.isEmpty)
        #expect(checkpoint.text == text)
    }

    @Test func keepsExtensionLines() throws {
        let text =
            "Sigstore Rekor - 1193050959916656506\n0\n\(Self.rootBase64)\nTimestamp: 1689748607742585419\nx\n"
        let checkpoint = try Checkpoint.parse(text)
        #expect(checkpoint.origin == "Sigstore Rekor - 1193050959916656506")
        #expect(checkpoint.size == 0)
        #expect(checkpoint.extensionLines == ["Timestamp: 1689748607742585419", "x"])
        #expect(checkpoint.text == text)
    }

    @Test func buildsTheSameTextItParses() throws {
        let root = try #require(
            SHA256Digest(hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"))
        let checkpoint = try Checkpoint(origin: "example.com/ledger", size: UInt64.max, root: root)
        #expect(checkpoint.text == "example.com/ledger\n18446744073709551615\n\(Self.rootBase64)\n")
        #expect(try Checkpoint.parse(checkpoint.text) == checkpoint)
    }

    @Test(arguments: [
        ("o\n8\n\(rootBase64)", CheckpointError.missingFinalNewline),
        ("", .missingFinalNewline),
        ("o\n8\n", .tooFewLines(count: 2)),
        ("\n", .tooFewLines(count: 1)),
        ("\n8\n\(rootBase64)\n", .emptyLine(lineNumber: 1)),
        ("o\n8\n\(rootBase64)\n\n", .emptyLine(lineNumber: 4)),
        ("o\n8\n\(rootBase64)\nx\n\ny\n", .emptyLine(lineNumber: 5)),
        ("o\n08\n\(rootBase64)\n", .malformedSize("08")),
        ("o\n00\n\(rootBase64)\n", .malformedSize("00")),
        ("o\n+8\n\(rootBase64)\n", .malformedSize("+8")),
        ("o\n-0\n\(rootBase64)\n", .malformedSize("-0")),
        ("o\n 8\n\(rootBase64)\n", .malformedSize(" 8")),
        ("o\n8 \n\(rootBase64)\n", .malformedSize("8 ")),
        ("o\n0x8\n\(rootBase64)\n", .malformedSize("0x8")),
        ("o\n18446744073709551616\n\(rootBase64)\n", .malformedSize("18446744073709551616")),
        ("o\n８\n\(rootBase64)\n", .malformedSize("８")),
        (
            "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
            .malformedRootHash("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg")
        ),
        (
            "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",
            .malformedRootHash("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=")
        ),
        ("o\n8\nbjQLnP8=\n", .malformedRootHash("bjQLnP8=")),
        ("o\n8\n\(rootBase64) \n", .malformedRootHash("\(rootBase64) ")),
        ("o\r\n8\n\(rootBase64)\n", .controlCharacter(lineNumber: 1)),
        ("o\t1\n8\n\(rootBase64)\n", .controlCharacter(lineNumber: 1)),
    ])
    func rejectsMalformed(text: String, expected: CheckpointError) {
        #expect(throws: expected) { try Checkpoint.parse(text) }
    }

    @Test func initialiserValidatesLines() throws {
        let root = Merkle.emptyRoot
        #expect(throws: CheckpointError.emptyLine(lineNumber: 1)) {
            try Checkpoint(origin: "", size: 0, root: root)
        }
        #expect(throws: CheckpointError.controlCharacter(lineNumber: 1)) {
            try Checkpoint(origin: "a\nb", size: 0, root: root)
        }
        #expect(throws: CheckpointError.emptyLine(lineNumber: 5)) {
            try Checkpoint(origin: "o", size: 0, root: root, extensionLines: ["x", ""])
        }
        let long = String(repeating: "a", count: Checkpoint.lineByteCountMax + 1)
        #expect(throws: CheckpointError.lineTooLong(lineNumber: 1)) {
            try Checkpoint(origin: long, size: 0, root: root)
        }
        let many = [String](repeating: "x", count: Checkpoint.extensionLineCountMax + 1)
        #expect(throws: CheckpointError.tooManyExtensionLines(count: many.count)) {
            try Checkpoint(origin: "o", size: 0, root: root, extensionLines: many)
        }
    }
}
