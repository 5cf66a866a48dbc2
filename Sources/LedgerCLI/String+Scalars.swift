/// Text for machine readers (CSV fields, journal strings) is escaped scalar by scalar. A CSV or
/// journal reader sees a quote wherever its byte is, even when a combining mark follows it;
/// Swift's `Character`-wise search, and Foundation's `replacingOccurrences`, see `"` then
/// U+0301 as one character that is no quote, and would leave it unescaped: a name could then
/// end its CSV field early and shift the cells after it.
extension String {
    /// This text with every `scalar` replaced by `replacement`.
    func replacingEach(_ scalar: Unicode.Scalar, with replacement: String) -> String {
        guard unicodeScalars.contains(scalar) else { return self }
        var result = String.UnicodeScalarView()
        for each in unicodeScalars {
            if each == scalar { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(each) }
        }
        return String(result)
    }
}
