// A libFuzzer target for the strict reader and the verifier (scripts/fuzz/build.sh builds it).
//
// Each input is run through:
//   1. CanonicalJSON.decode in canonical and in lenient mode, with these properties checked:
//      - accepted as canonical => re-encoding gives back exactly the input bytes, and the
//        lenient reader accepts it with the same value;
//      - accepted as lenient => its canonical encoding is accepted as canonical, same value;
//   2. RecordCodec.decode / decodeChecked on the whole input (one line);
//   3. ChainVerifier over the input's lines, then finish(): the streaming verifier;
//   4. Checkpoint.parse and SignedNote.parse (what `verify --checkpoint` reads).
// A crash, a trap, a sanitizer report or a broken property is a finding; a thrown error is not.
import LedgerCore
import LedgerJSON
import LedgerProofs

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkJSON(bytes)
    checkRecord(bytes)
    checkChain(bytes)
    checkCheckpoint(bytes)
    return 0
}

func checkJSON(_ bytes: [UInt8]) {
    for keys in [JSONKeyPolicy.any, .identifier] {
        let canonical = try? CanonicalJSON.decode(bytes, mode: .canonical, keys: keys)
        let lenient = try? CanonicalJSON.decode(bytes, mode: .lenient, keys: keys)
        if let canonical {
            precondition(CanonicalJSON.encode(canonical) == bytes, "canonical input does not re-encode to itself")
            precondition(lenient == canonical, "the lenient reader disagrees on a canonical input")
        }
        if let lenient {
            let encoded = CanonicalJSON.encode(lenient)
            let again = try? CanonicalJSON.decode(encoded, mode: .canonical, keys: keys)
            precondition(again == lenient, "the canonical encoding of a lenient value is not canonical")
        }
    }
}

func checkRecord(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { raw in try? RecordCodec.decode(line: raw) }
    if let record = try? RecordCodec.decodeChecked(line: bytes) {
        precondition(record.hash.hex.utf8.count == 64, "a record's hash is 64 hex digits")
    }
}

func checkChain(_ bytes: [UInt8]) {
    var verifier = ChainVerifier()
    var offset: UInt64 = 0
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    let torn = lines.removeLast()
    for line in lines {
        let result = Array(line).withUnsafeBytes { verifier.accept(line: $0, offset: offset) }
        if case .failure = result { return }
        // A line the verifier accepts is canonical JSON of the subset.
        precondition((try? CanonicalJSON.decode(Array(line), mode: .canonical, keys: .identifier)) != nil,
                     "the verifier accepted a line that is not canonical")
        offset += UInt64(line.count + 1)
    }
    _ = verifier.finish(tornTailBytes: UInt64(torn.count), tornTailOffset: offset)
}

func checkCheckpoint(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if Array(text.utf8) == bytes {
        _ = try? Checkpoint.parse(text)
    }
    _ = try? SignedNote.parse(bytes)
}
