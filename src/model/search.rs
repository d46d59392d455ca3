//! Text folding for search: "Việt Nam" and "viet nam" fold to the same tokens.

/// Lower-case ASCII form of `text`: diacritics dropped (`Đ` → `d`), other scripts
/// transliterated.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_ascii_lowercase()
}

/// The search tokens of `text`: its folded words (runs of letters and digits), each once,
/// in order of first appearance.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in fold(text).split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() && !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_folds_to_plain_ascii() {
        assert_eq!(tokens("Việt Nam"), ["viet", "nam"]);
        assert_eq!(tokens("Hội nghị tham vấn"), ["hoi", "nghi", "tham", "van"]);
        assert_eq!(
            tokens("Đại sứ Nguyễn Hải Bằng"),
            ["dai", "su", "nguyen", "hai", "bang"]
        );
        assert_eq!(tokens("IAI-TF-63"), ["iai", "tf", "63"]);
    }
}
