//! Search's text folding and ranking: "Việt Nam" and "viet nam" fold to the same words, and
//! how well a record matches a query is a [`Tier`] and the length of its shortest text. The
//! store's index ([`crate::store`]) is laid out in this order so that the best hits are read
//! first; [`rank`] is the definition it must agree with.

use super::Node;

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

/// The words of `text` joined by one space: what a query's words are compared with, whole
/// or as a start.
pub fn phrase(text: &str) -> String {
    tokens(text).join(" ")
}

/// A search query, folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Its words, each once; the last may be the start of a word.
    pub words: Vec<String>,
    /// The words joined by one space.
    pub phrase: String,
}

impl Query {
    /// The query of `text`; `None` if it holds no word.
    pub fn new(text: &str) -> Option<Query> {
        let words = tokens(text);
        (!words.is_empty()).then(|| Query {
            phrase: words.join(" "),
            words,
        })
    }

    /// The words that must be whole, and the last one, which may be a start.
    pub fn split(&self) -> (&[String], &str) {
        match self.words.split_last() {
            Some((last, whole)) => (whole, last),
            None => (&[], ""),
        }
    }
}

/// How a record matches a query, best last. A record of a better tier always ranks first;
/// within a tier, the record whose shortest text is shorter (fewer words it was not asked
/// for), then the record's kind and code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Every word is somewhere among the code and texts.
    Words = 1,
    /// A text starts with the query.
    Start = 2,
    /// A text is the query.
    Text = 3,
    /// The code is the query (`iai-tf` or `iai tf` for `IAI-TF`).
    Code = 4,
    /// The code and a text are the query.
    CodeAndText = 5,
}

impl Tier {
    pub const ALL: [Tier; 5] = [
        Tier::Words,
        Tier::Start,
        Tier::Text,
        Tier::Code,
        Tier::CodeAndText,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.number() == n)
    }

    /// The score shown for a hit of this tier whose shortest text is `shortness` long:
    /// the tier plus a fraction that grows as the text shortens, so that scores order hits
    /// as they are listed.
    pub fn score(self, shortness: u16) -> f64 {
        f64::from(self.number()) + 1.0 / (1.0 + f64::from(shortness))
    }
}

/// The phrases a code is found by whole: its folded form and that form with hyphens as
/// spaces, where it is made of words and single spaces as a query's phrase is.
pub fn code_phrases(code: &str) -> Vec<String> {
    let folded = fold(code);
    let mut out: Vec<String> = Vec::new();
    for p in [folded.clone(), folded.replace('-', " ")] {
        if is_phrase(&p) && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Whether `text` could be a query's phrase: words of letters and digits joined by one space.
fn is_phrase(text: &str) -> bool {
    !text.is_empty()
        && text
            .split(' ')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The words a record is found by: its code's words and whole folded code (so that
/// `iai-tf` finds `IAI-TF`), and the words of its texts; each once.
pub fn record_words(node: &Node) -> Vec<String> {
    let mut words = tokens(node.code());
    let whole = fold(node.code());
    if !words.contains(&whole) {
        words.push(whole);
    }
    for (_, text) in node.search_fields() {
        for t in tokens(text) {
            if !words.contains(&t) {
                words.push(t);
            }
        }
    }
    words
}

/// The phrases of a record's texts, with their fields.
pub fn text_phrases(node: &Node) -> Vec<(&'static str, String)> {
    node.search_fields()
        .into_iter()
        .map(|(field, text)| (field, phrase(text)))
        .collect()
}

/// The length of a record's shortest text phrase, the tie-break within a tier (saturating);
/// a text without words (a flag, a dash) does not count.
pub fn shortness(node: &Node) -> u16 {
    let shortest = text_phrases(node)
        .iter()
        .map(|(_, p)| p.len())
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(usize::MAX);
    u16::try_from(shortest).unwrap_or(u16::MAX)
}

/// How `node` matches `query`: its tier and the field that matched best (`code`, or a text
/// field: the one that is or starts with the query, else the one holding most of its
/// words). `None` if some word of the query is not among the record's words.
pub fn rank(node: &Node, query: &Query) -> Option<(Tier, &'static str)> {
    let words = record_words(node);
    let (whole, last) = query.split();
    let holds = |w: &str, prefix: bool| {
        words.iter().any(|have| {
            if prefix {
                have.starts_with(w)
            } else {
                have == w
            }
        })
    };
    if !whole.iter().all(|w| holds(w, false)) || !holds(last, true) {
        return None;
    }
    let texts = text_phrases(node);
    let code = code_phrases(node.code()).contains(&query.phrase);
    let text = texts.iter().find(|(_, p)| *p == query.phrase);
    Some(match (code, text) {
        (true, Some(_)) => (Tier::CodeAndText, "code"),
        (true, None) => (Tier::Code, "code"),
        (false, Some((field, _))) => (Tier::Text, *field),
        (false, None) => match texts.iter().find(|(_, p)| p.starts_with(&query.phrase)) {
            Some((field, _)) => (Tier::Start, *field),
            None => (Tier::Words, most_words(node, &texts, query)),
        },
    })
}

/// The field holding most of the query's words, the code counting as a field; the first
/// such on a tie.
fn most_words(node: &Node, texts: &[(&'static str, String)], query: &Query) -> &'static str {
    let (whole, last) = query.split();
    let held = |words: &[String]| {
        whole.iter().filter(|w| words.contains(w)).count()
            + usize::from(words.iter().any(|w| w.starts_with(last)))
    };
    let mut best = ("code", held(&tokens(node.code())));
    for (field, p) in texts {
        let words: Vec<String> = p.split(' ').map(str::to_owned).collect();
        let n = held(&words);
        if n > best.1 {
            best = (field, n);
        }
    }
    best.0
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

    #[test]
    fn codes_are_found_with_hyphens_as_spaces() {
        assert_eq!(code_phrases("IAI-TF"), ["iai tf"]);
        assert_eq!(code_phrases("VNM"), ["vnm"]);
        assert_eq!(code_phrases("A_B"), Vec::<String>::new());
    }

    #[test]
    fn scores_order_tiers_first_then_shorter_texts() {
        assert!(Tier::Start.score(0) < Tier::Text.score(u16::MAX));
        assert!(Tier::Words.score(3) > Tier::Words.score(4));
        assert!(Tier::Code > Tier::Text);
    }
}
