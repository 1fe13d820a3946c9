//! A minimal XML writer for a document of fixed shape: elements, attributes and escaped text,
//! indented. Nothing else (no namespaces logic, no comments, no CDATA) is needed by UBL.

/// Text as XML 1.0 character data or attribute value: the five special characters escaped,
/// and the characters XML 1.0 forbids anywhere (C0 controls but tab, line feed and carriage
/// return; U+FFFE, U+FFFF) left out, since no escape can carry them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Carriage returns would be normalised to line feeds by any reader: kept as a
            // reference so that the text reads back as written.
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters that may not appear in an XML 1.0 document, even escaped.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The text with forbidden characters removed and white space trimmed: what a reader's
/// `normalize-space()` would find empty is empty here too.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !is_forbidden(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Writes elements one per line, children indented by four spaces.
pub struct Writer {
    out: String,
    open: Vec<&'static str>,
}

impl Writer {
    pub fn new() -> Self {
        Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("    ");
        }
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape(value));
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// Opens an element that will hold other elements.
    pub fn open(&mut self, name: &'static str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push('\n');
        self.open.push(name);
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
        }
    }

    /// An element holding only text.
    pub fn text_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start_tag(name, attributes);
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub fn text(&mut self, name: &str, text: &str) {
        self.text_with(name, &[], text);
    }

    /// The document, every element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_and_forbidden_ones_dropped() {
        assert_eq!(
            escape("<script>&\"'</script>"),
            "&lt;script&gt;&amp;&quot;&apos;&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1B}c\u{FFFF}d\te\nf\rg"), "abcd\te\nf&#13;g");
        assert_eq!(escape("Éléonore — 🎉"), "Éléonore — 🎉");
        assert_eq!(clean(" \u{7} \n "), "");
        assert_eq!(clean(" a\u{7}b "), "ab");
    }

    #[test]
    fn elements_nest_and_close() {
        let mut w = Writer::new();
        w.open("a", &[("x", "1&2")]);
        w.text("b", "<c>");
        let xml = w.finish();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1&amp;2\">\n    <b>&lt;c&gt;</b>\n</a>\n"
        );
        let parsed = roxmltree::Document::parse(&xml).map(|d| d.root_element().children().count());
        assert!(parsed.is_ok(), "{parsed:?}");
    }
}
