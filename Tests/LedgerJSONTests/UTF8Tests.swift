import Foundation
import LedgerJSON
import Testing

/// Strings must be well-formed UTF-8 (Unicode Table 3-7), in both modes.
@Suite struct UTF8Tests {
    static func quoted(_ content: [UInt8]) -> [UInt8] { [0x22] + content + [0x22] }

    /// The edges of every sequence length are accepted.
    @Test(arguments: [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF] as [UInt32])
    func acceptsBoundaryScalars(value: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(value))
        let input = Self.quoted(Array(String(scalar).utf8))
        #expect(try CanonicalJSON.decode(input, mode: .canonical) == .string(String(scalar)))
    }

    struct Sample: CustomTestStringConvertible, Sendable {
        let content: [UInt8]
        let offset: Int  // within the content; the document offset is one more (the quote)
        let name: String
        var testDescription: String { name }
    }

    static let invalid: [Sample] = [
        Sample(content: [0xC0, 0x80], offset: 0, name: "overlong NUL C0 80"),
        Sample(content: [0xC1, 0xBF], offset: 0, name: "overlong C1 BF"),
        Sample(content: [0xE0, 0x9F, 0xBF], offset: 1, name: "overlong E0 9F BF"),
        Sample(content: [0xF0, 0x8F, 0xBF, 0xBF], offset: 1, name: "overlong F0 8F BF BF"),
        Sample(content: [0xED, 0xA0, 0x80], offset: 1, name: "surrogate D800 as UTF-8"),
        Sample(content: [0xED, 0xBF, 0xBF], offset: 1, name: "surrogate DFFF as UTF-8"),
        Sample(content: [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80], offset: 1, name: "CESU-8 pair"),
        Sample(content: [0xF4, 0x90, 0x80, 0x80], offset: 1, name: "U+110000"),
        Sample(content: [0xF5, 0x80, 0x80, 0x80], offset: 0, name: "lead F5"),
        Sample(content: [0xFE], offset: 0, name: "FE"),
        Sample(content: [0xFF], offset: 0, name: "FF"),
        Sample(content: [0x80], offset: 0, name: "lone continuation"),
        Sample(content: [0x61, 0xBF], offset: 1, name: "continuation after ASCII"),
        Sample(content: [0xE2, 0x82], offset: 2, name: "truncated E2 82 (then the quote)"),
        Sample(content: [0xE2, 0x82, 0x61], offset: 2, name: "truncated E2 82 then 'a'"),
        Sample(content: [0xF0, 0x9F, 0x98], offset: 3, name: "truncated F0 9F 98"),
        Sample(content: [0xC3], offset: 1, name: "truncated C3"),
        Sample(content: [0xC3, 0xC3, 0xA9], offset: 1, name: "lead where continuation due"),
    ]

    @Test(arguments: invalid)
    func rejectsIllFormed(sample: Sample) {
        let input = Self.quoted(sample.content)
        expectRejected(input, .invalidUTF8, at: sample.offset + 1)
        expectRejected(input, mode: .lenient, .invalidUTF8, at: sample.offset + 1)
    }

    @Test func rejectsIllFormedKeys() {
        expectRejected([0x7B, 0x22, 0xC0, 0x80, 0x22, 0x3A, 0x31, 0x7D], .invalidUTF8, at: 2)
    }

    @Test func truncatedAtEndOfInput() {
        expectRejected([0x22, 0xF0, 0x9F], .unexpectedEnd, at: 3)
    }

    /// Outside strings, bytes >= 0x80 are just unexpected.
    @Test func nonASCIIOutsideStrings() {
        expectRejected([0x5B, 0xC3, 0xA9, 0x5D], .unexpectedByte, at: 1)
    }

    /// Differential: for random byte strings, the lenient reader accepts exactly what the
    /// standard library's validating initializer accepts, and yields its NFC form.
    @Test func agreesWithStandardLibraryValidation() throws {
        var random = SplitMix64(seed: 0x5EED_0008)
        let pool: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                             0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var accepted = 0
        for _ in 0..<20_000 {
            let content = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                Bool.random(using: &random) ? 0x41 : pool.randomElement(using: &random) ?? 0x41
            }
            let reference = String(validating: content, as: UTF8.self)
            let result = Result { () throws(JSONError) in
                try CanonicalJSON.decode(Self.quoted(content), mode: .lenient)
            }
            switch (reference, result) {
            case (let text?, .success(let value)):
                accepted += 1
                #expect(value == .string(text))
                #expect(value.stringValue.map { Array($0.utf8) }
                        == Array(text.precomposedStringWithCanonicalMapping.utf8))
            case (nil, .failure(let error)):
                #expect(error.reason == .invalidUTF8 || error.reason == .unexpectedEnd)
            default:
                Issue.record("disagree on \(render(content)): stdlib \(reference as Any), ours \(result)")
            }
        }
        #expect(accepted > 2_000, "the pool must produce valid strings too")
    }
}
