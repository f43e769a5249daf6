//! Counts the entities of a CoNLL or IOB fixture from its lines: in every tag column, one per
//! run of tags of one type. A run starts at `B-`, `S-` or `U-`, and at `I-`, `E-` or `L-`
//! unless the token before it in the sentence is tagged `B-` or `I-` of the same type; a blank
//! line or a `-DOCSTART-` line ends every run.

/// The items of fixture `name`.
pub fn items(name: &str, content: &str) -> usize {
    let rows: Vec<Vec<&str>> = content
        .lines()
        .map(|l| l.split([' ', '\t']).filter(|f| !f.is_empty()).collect())
        .collect();
    // CoNLL columns put the tags after `token POS chunk`, unless every line is `token TAG`.
    let conll = name.ends_with(".conll") || name.ends_with(".conll03");
    let two_columns = rows.iter().all(|r| r.len() <= 2 || r[0] == "-DOCSTART-");
    let skip = if conll && !two_columns { 3 } else { 1 };
    let width = rows
        .iter()
        .map(|r| r.len().saturating_sub(skip))
        .max()
        .unwrap_or(0);
    let mut runs = 0;
    for column in 0..width {
        // The tag of the token before, in this sentence.
        let mut before: Option<(char, &str)> = None;
        for row in &rows {
            if row.is_empty() || row[0] == "-DOCSTART-" {
                before = None;
                continue;
            }
            if row.len() <= skip {
                // A token without tags (only white space, which is not read).
                continue;
            }
            let tag = row.get(skip + column).copied().unwrap_or("O");
            let (prefix, kind) = match tag.split_once('-') {
                Some((p, kind)) => (p.chars().next().unwrap(), kind),
                None => ('O', ""),
            };
            let continued = matches!(before, Some((p, k)) if (p == 'B' || p == 'I') && k == kind);
            runs += match prefix {
                'B' | 'S' | 'U' => 1,
                'I' | 'E' | 'L' if !continued => 1,
                _ => 0,
            };
            before = Some((prefix, kind));
        }
    }
    runs
}
