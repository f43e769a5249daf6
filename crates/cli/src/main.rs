//! `spanmark`: converts, checks and compares annotation files on the command line.
//!
//! A thin shell over `spanmark_formats::convert`, which the browser's "Open" and "Download"
//! use too: a file converts here exactly as it opens there; `agree` is a shell over
//! `spanmark_core::agreement`, printed as a table by [`table`]. Standard library (and
//! serde_json) only.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod table;

use spanmark_core::agreement::{agreement, Annotation};
use spanmark_core::{AnnotatedDocument, Schema};
use spanmark_formats::archive::{self, Stamp};
use spanmark_formats::conll::Scheme;
use spanmark_formats::convert::{self, ReadOptions, WriteOptions, MAX_FILE_BYTES};
use spanmark_formats::{doccano, text, Format, FormatError, Imported};

mod couch;
mod team;

const USAGE: &str = "\
spanmark: convert, check and compare annotation files.

Usage:
  spanmark convert INPUT [--from FORMAT] --to FORMAT [-o OUT] [--text TEXT_FILE]
                   [--labels LABEL_FILE] [--strict] [--scheme iob2|bioes]
  spanmark validate INPUT [--from FORMAT] [--text TEXT_FILE] [--labels LABEL_FILE]
                   [--strict]
  spanmark agree A B [C ...] [--json] [--text TEXT_FILE]
  spanmark init URL/DB [--user USER] [--password PASSWORD]
  spanmark push FILES... --to URL/DB [--as ANNOTATOR] [--user USER] [--password PASSWORD]
  spanmark pull URL/DB --to FORMAT -o OUT [--gold] [--scheme iob2|bioes] [--user USER] [--password PASSWORD]
  spanmark assign URL/DB --per-doc K [--annotators NAME,NAME,...] [--user USER] [--password PASSWORD]
  spanmark agree URL/DB [--json] [--user USER] [--password PASSWORD]
  spanmark guidelines URL/DB FILE [--user USER] [--password PASSWORD]
  spanmark formats                 list the formats and their ids
  spanmark help | --help | --version

INPUT is a file, a .zip of files, or - for standard input (with --from).
Its format comes from the file name (and, for .json, from the content) unless
--from names it. A brat .ann or W3C .jsonld file takes its text from the .txt of
the same name beside it, or from --text; CoNLL and IOB2 files align their tokens
onto --text when it is given (otherwise the text is rebuilt from the tokens).

Label and relation-type names are kept exactly as the file writes them, in every
format written (brat, CoNLL and IOB2 write white space in a name as _). --from also takes the name of a variant (spanmark formats lists
them); each reader tells its variants apart by their content. CoNLL and IOB2
files are read in any tag scheme (IOB1, IOB2, BIOES/IOBES, BILOU); --scheme bioes
writes BIOES instead of IOB2. --labels names the numeric label ids of a doccano
export with doccano's label file (its label export, a .json).

A span with white space at either end is read trimmed, and named in a warning;
--strict refuses the file instead. What a file holds that Spanmark cannot keep
is named in a warning, item by item.

Output of convert:
  (no -o)       standard output, when the result is one file
  -o FILE       one file; for brat and W3C, -o NAME.ann (NAME.jsonld) writes
                NAME.txt beside it, the text its offsets point into
  -o DIR/       every file into a folder (an existing one, or a path ending in /)
  -o NAME.zip   every file in one zip archive
What the target format cannot carry (relations, notes, overlapping spans) is
listed on standard error.

agree compares two or more annotations of one text, each file (any format, or
a .zip) holding one document, named by its file name: span precision, recall
and F1 per label and overall (exact and overlap match), relation agreement,
and Cohen's (two annotators) and Fleiss' kappa over the words. --json prints
the same as one JSON object. Definitions: docs/AGREEMENT.md.

Team projects live in a CouchDB database (docs/TEAM.md): init creates the
database if missing, installs its rules (annotators write only their own
annotations; curators and admins everything) and its security; push uploads
documents (any format read), and with --as ANNOTATOR their annotations as that
annotator's; pull downloads every document once per annotator (titled
TITLE (ANNOTATOR)), in any format, or with --gold the curated documents only.
assign gives every document not yet assigned to K annotators, balanced (the
server's users with the annotator role unless --annotators names them; listing
them needs a server admin). agree URL/DB measures agreement across the project:
every document with two or more annotators done, per label, micro- and
macro-averaged, and per document; --json adds progress and label counts.
guidelines makes FILE's schema (a schema alone, or a file of one document) the
project's, and gives its guidelines to every document's labels and relation
types of the same ids. The user and password come from --user and
--password, or SPANMARK_USER and SPANMARK_PASSWORD; they are never printed.

Exit status: 0 done; 1 the input is invalid (every problem is listed on standard
error), the output cannot be written, or the files to agree are not of the same
text; 2 usage error or unreadable input.";

/// Why the command stops.
enum Failure {
    /// A usage error (exit 2).
    Usage(String),
    /// Invalid input or an output that cannot be written (exit 1): the lines to print.
    Invalid(Vec<String>),
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("spanmark: {message}");
            eprintln!("Run `spanmark --help` for usage.");
            ExitCode::from(2)
        }
        Err(Failure::Invalid(lines)) => {
            for line in lines {
                eprintln!("{line}");
            }
            ExitCode::from(1)
        }
    }
}

/// What the command line says.
#[derive(Default)]
struct Options {
    input: Option<PathBuf>,
    from: Option<Format>,
    to: Option<Format>,
    output: Option<PathBuf>,
    text: Option<PathBuf>,
    labels: Option<PathBuf>,
    strict: bool,
    scheme: Option<Scheme>,
}

fn run(args: &[OsString]) -> Result<(), Failure> {
    let Some(command) = args.first() else {
        return Err(usage("no command given"));
    };
    let rest = args.get(1..).unwrap_or_default();
    match command.to_str().unwrap_or_default() {
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        "--version" | "-V" => {
            println!("spanmark {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "formats" => {
            if let Some(extra) = rest.first() {
                return Err(usage(format!(
                    "`formats` takes no arguments, got {extra:?}"
                )));
            }
            for f in Format::ALL {
                println!("{:<16}{:<26}{}", f.id(), f.name(), f.suffix());
            }
            println!("\nVariants other tools export (read, by --from or by their content):");
            for v in Format::VARIANTS {
                println!("{:<16}{:<46}read as {}", v.id, v.name, v.format.id());
            }
            Ok(())
        }
        "convert" => {
            let options = parse(rest, true)?;
            let to = options
                .to
                .ok_or_else(|| usage("convert needs --to FORMAT"))?;
            let imported = load(&options)?;
            for w in &imported.warnings {
                eprintln!("warning: {w}");
            }
            write_out(&options, to, &imported.documents)
        }
        "validate" => {
            let options = parse(rest, false)?;
            let imported = load(&options)?;
            summarise(&imported);
            Ok(())
        }
        "agree" if rest.first().and_then(|a| a.to_str()).is_some_and(is_url) => {
            team_command("agree", rest)
        }
        "agree" => agree(rest),
        "init" | "push" | "pull" | "assign" | "guidelines" => {
            team_command(command.to_str().unwrap_or_default(), rest)
        }
        other => Err(usage(format!("unknown command {other:?}"))),
    }
}

fn format_arg(value: &str) -> Result<Format, Failure> {
    Format::from_id(value).ok_or_else(|| {
        let ids: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
        let variants: Vec<&str> = Format::VARIANTS.iter().map(|v| v.id).collect();
        usage(format!(
            "unknown format {value:?}; the formats are {}, and the variants {}",
            ids.join(", "),
            variants.join(", ")
        ))
    })
}

/// Parses the options of `convert` (`converting`) or `validate`.
fn parse(args: &[OsString], converting: bool) -> Result<Options, Failure> {
    let mut options = Options::default();
    let mut args = args.iter();
    let mut only_paths = false;
    while let Some(arg) = args.next() {
        let flag = arg
            .to_str()
            .filter(|a| !only_paths && a.starts_with('-') && *a != "-");
        let Some(flag) = flag else {
            if options.input.replace(PathBuf::from(arg)).is_some() {
                return Err(usage("give one INPUT file (use a .zip for several)"));
            }
            continue;
        };
        if flag == "--" {
            only_paths = true;
            continue;
        }
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(OsString::from(value))),
            _ => (flag, None),
        };
        if name == "--strict" && inline.is_none() {
            if std::mem::replace(&mut options.strict, true) {
                return Err(usage("--strict is given twice"));
            }
            continue;
        }
        let takes_value = matches!(
            name,
            "--from" | "--to" | "-o" | "--output" | "--text" | "--labels" | "--scheme"
        );
        if !takes_value || (!converting && matches!(name, "--to" | "-o" | "--output" | "--scheme"))
        {
            return Err(usage(format!("unknown option {flag:?}")));
        }
        let value = match inline.or_else(|| args.next().cloned()) {
            Some(value) => value,
            None => return Err(usage(format!("{name} needs a value"))),
        };
        let text_value = || {
            value
                .to_str()
                .map(str::to_owned)
                .ok_or_else(|| usage(format!("{name}: {value:?} is not a format id")))
        };
        let repeated = match name {
            "--from" => options.from.replace(format_arg(&text_value()?)?).is_some(),
            "--to" => options.to.replace(format_arg(&text_value()?)?).is_some(),
            "--text" => options.text.replace(PathBuf::from(&value)).is_some(),
            "--labels" => options.labels.replace(PathBuf::from(&value)).is_some(),
            "--scheme" => {
                let id = text_value()?;
                let scheme = Scheme::from_id(&id).ok_or_else(|| {
                    usage(format!(
                        "unknown tag scheme {id:?}; the schemes are iob2 and bioes"
                    ))
                })?;
                options.scheme.replace(scheme).is_some()
            }
            _ => options.output.replace(PathBuf::from(&value)).is_some(),
        };
        if repeated {
            return Err(usage(format!("{name} is given twice")));
        }
    }
    if options.input.is_none() {
        return Err(usage("no INPUT file given"));
    }
    Ok(options)
}

/// Reads a file the user named, refusing one over the size limit before reading it.
fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    let unreadable = |e: std::io::Error| usage(format!("cannot read {}: {e}", path.display()));
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    } else {
        let file = std::fs::File::open(path).map_err(unreadable)?;
        file.take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    }
    Ok(bytes)
}

/// Every problem of a file, one per line.
fn problems(name: &str, error: &FormatError) -> Vec<String> {
    match error {
        FormatError::Problems(list) => list.iter().map(|p| format!("{name}: {p}")).collect(),
        other => vec![format!("{name}: {other}")],
    }
}

/// Opens INPUT (with its text file, if any).
fn load(options: &Options) -> Result<Imported, Failure> {
    let input = options.input.as_deref().unwrap_or(Path::new("-"));
    let mut read = ReadOptions {
        strict: options.strict,
        label_names: None,
    };
    if let Some(path) = &options.labels {
        let bytes = read_file(path)?;
        let names = text::decode(&bytes)
            .ok()
            .and_then(doccano::label_file)
            .ok_or_else(|| {
                usage(format!(
                    "{} is not a doccano label file (a JSON array of {{\"id\", \"text\"}} labels, as doccano exports them)",
                    path.display()
                ))
            })?;
        read.label_names = Some(names);
    }
    // No schema of the command's own: a Spanmark file keeps its schema exactly, and the names
    // of other files are theirs, exactly as written.
    let schema = Schema {
        labels: Vec::new(),
        relation_types: Vec::new(),
    };
    open_input(input, options.from, options.text.as_deref(), &schema, &read)
}

/// The name a file is known by in messages: its file name.
fn file_name(input: &Path) -> String {
    input.file_name().map_or_else(
        || input.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Opens one input file (`-`: standard input) in `from` or the format it is detected as, with
/// its text file: `text`, or for brat and W3C the `.txt` beside it.
fn open_input(
    input: &Path,
    from: Option<Format>,
    text: Option<&Path>,
    schema: &Schema,
    options: &ReadOptions,
) -> Result<Imported, Failure> {
    let stdin = input == Path::new("-");
    if stdin && from.is_none() {
        return Err(usage("reading standard input needs --from FORMAT"));
    }
    let bytes = read_file(input)?;
    let name = if stdin {
        "stdin".to_owned()
    } else {
        file_name(input)
    };
    if name.to_lowercase().ends_with(".zip") {
        if from.is_some() {
            return Err(usage(
                "--from names the format of one file, not of the files in a .zip; unzip it and give each file",
            ));
        }
        if text.is_some() {
            return Err(usage(
                "--text cannot be used with a .zip; put the .txt files in it",
            ));
        }
        return convert::open_files_with(&[(name, bytes)], schema, options).map_err(|errors| {
            Failure::Invalid(errors.iter().flat_map(|(n, e)| problems(n, e)).collect())
        });
    }

    let format = from.or_else(|| convert::detect(&name, text::decode(&bytes).unwrap_or_default()));
    let text_path = match text {
        Some(path) => Some(path.to_path_buf()),
        None if !stdin && format.is_some_and(convert::needs_text) => {
            Some(input.with_extension("txt")).filter(|p| p.is_file())
        }
        None => None,
    };
    let text_bytes = match &text_path {
        Some(path) => Some(read_file(path)?),
        None => None,
    };
    let text = match (&text_path, &text_bytes) {
        (Some(path), Some(bytes)) => Some(
            text::decode(bytes)
                .map_err(|e| Failure::Invalid(problems(&path.display().to_string(), &e)))?,
        ),
        _ => None,
    };
    let mut imported = convert::open_file_with(&name, &bytes, format, text, schema, options)
        .map_err(|e| Failure::Invalid(problems(&name, &e)))?;
    // Warnings name the file, as those of the files in a .zip do.
    for w in &mut imported.warnings {
        w.at = format!("{name}, {}", w.at);
    }
    Ok(imported)
}

/// `agree A B [C …] [--json] [--text TEXT_FILE]`: the agreement table (or JSON) of the files'
/// documents, each file holding one.
fn agree(args: &[OsString]) -> Result<(), Failure> {
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut json = false;
    let mut text: Option<PathBuf> = None;
    let mut only_paths = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let flag = arg
            .to_str()
            .filter(|a| !only_paths && a.starts_with('-') && *a != "-");
        let Some(flag) = flag else {
            if arg == "-" && !only_paths {
                return Err(usage("agree reads files, not standard input"));
            }
            inputs.push(PathBuf::from(arg));
            continue;
        };
        match flag.split_once('=') {
            _ if flag == "--" => only_paths = true,
            _ if flag == "--json" => json = true,
            Some(("--text", value)) => {
                if text.replace(PathBuf::from(value)).is_some() {
                    return Err(usage("--text is given twice"));
                }
            }
            None if flag == "--text" => {
                let value = args.next().ok_or_else(|| usage("--text needs a value"))?;
                if text.replace(PathBuf::from(value)).is_some() {
                    return Err(usage("--text is given twice"));
                }
            }
            _ => return Err(usage(format!("unknown option {flag:?}"))),
        }
    }
    if inputs.len() < 2 {
        return Err(usage("agree needs at least two INPUT files"));
    }

    let mut docs: Vec<AnnotatedDocument> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for input in &inputs {
        let name = file_name(input);
        match open_input(
            input,
            None,
            text.as_deref(),
            // Agreement lists labels in the order of the default schema.
            &Schema::default(),
            &ReadOptions::default(),
        ) {
            Err(Failure::Invalid(lines)) => problems.extend(lines),
            Err(usage) => return Err(usage),
            Ok(mut imported) => {
                for w in &imported.warnings {
                    eprintln!("warning: {name}: {w}");
                }
                match imported.documents.len() {
                    1 => docs.extend(imported.documents.pop()),
                    n => problems.push(format!(
                        "{name}: holds {n} documents; agree compares files of one document each"
                    )),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Invalid(problems));
    }
    // Annotators are named by their file names, or by the paths given when two names repeat.
    let mut names: Vec<String> = inputs.iter().map(|p| file_name(p)).collect();
    let repeated = names
        .iter()
        .enumerate()
        .any(|(i, n)| names[..i].contains(n));
    if repeated {
        names = inputs.iter().map(|p| p.display().to_string()).collect();
    }
    let annotations: Vec<Annotation> = names
        .iter()
        .zip(&docs)
        .map(|(name, doc)| Annotation { name, doc })
        .collect();
    let report =
        agreement(&annotations).map_err(|e| Failure::Invalid(vec![format!("spanmark: {e}")]))?;
    let out = if json {
        // A report is plain numbers and strings: serializing it cannot fail.
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
    } else {
        table::table(&report)
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .and_then(|()| std::io::stdout().flush())
        .map_err(|e| Failure::Invalid(vec![format!("spanmark: cannot write: {e}")]))
}

/// `validate`: one line per document, then the warnings.
fn summarise(imported: &Imported) {
    let count = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    for d in &imported.documents {
        println!(
            "{}: {}, {}",
            d.document.title,
            count(d.spans().len(), "span"),
            count(d.relations.len(), "relation")
        );
    }
    println!("{}", count(imported.warnings.len(), "warning"));
    for w in &imported.warnings {
        println!("warning: {w}");
    }
}

/// Whether `path` names a folder: an existing one, or a path ending in a separator.
fn is_folder(path: &Path) -> bool {
    let raw = path.as_os_str().to_string_lossy();
    path.is_dir() || raw.ends_with('/') || raw.ends_with(std::path::MAIN_SEPARATOR)
}

fn has_suffix(path: &Path, suffix: &str) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    name.ends_with(suffix)
}

/// `convert`: writes the documents in `to` where `-o` says.
fn write_out(options: &Options, to: Format, docs: &[AnnotatedDocument]) -> Result<(), Failure> {
    if options.scheme.is_some() && !matches!(to, Format::Conll | Format::Iob2) {
        return Err(usage("--scheme applies to --to conll and --to iob2"));
    }
    let write = WriteOptions {
        scheme: options.scheme.unwrap_or_default(),
    };
    let files = convert::write_with(to, docs, &write);
    if files.is_empty() {
        return Err(Failure::Invalid(vec![format!(
            "spanmark: this build cannot write {} yet",
            to.name()
        )]));
    }
    for d in docs {
        for loss in convert::losses(to, d) {
            eprintln!("warning: {}: not written: {loss}", d.document.title);
        }
    }
    let Some(out) = options.output.as_deref() else {
        let single = match files.as_slice() {
            [(_, content)] => Some(content),
            // brat's and W3C's text beside them: the user has it already.
            [(_, content), (text, _)] if convert::needs_text(to) && text.ends_with(".txt") => {
                eprintln!(
                    "note: the text the offsets point into is not written to standard output; -o NAME{} writes NAME.txt beside it",
                    to.suffix()
                );
                Some(content)
            }
            _ => None,
        };
        return match single {
            Some(content) => std::io::stdout()
                .write_all(content.as_bytes())
                .and_then(|()| std::io::stdout().flush())
                .map_err(|e| Failure::Invalid(vec![format!("spanmark: cannot write: {e}")])),
            None => {
                let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
                Err(usage(format!(
                    "this gives {} files ({}); give -o DIR/ to write them into a folder, or -o NAME.zip",
                    files.len(),
                    names.join(", ")
                )))
            }
        };
    };
    let targets: Vec<(PathBuf, &str)> = if has_suffix(out, ".zip") && !is_folder(out) {
        let zip = archive::write_at(&files, Some(now()));
        return save(&[(out.to_path_buf(), &zip)], options);
    } else if is_folder(out) {
        files
            .iter()
            .map(|(name, content)| (out.join(name), content.as_str()))
            .collect()
    } else if let [(_, content)] = files.as_slice() {
        vec![(out.to_path_buf(), content.as_str())]
    } else if let Some(companions) = companions(out, to, &files) {
        companions
    } else {
        return Err(usage(format!(
            "this gives {} files; -o must be a folder (an existing one, or a path ending in /) or a .zip{}",
            files.len(),
            if docs.len() == 1 && convert::needs_text(to) {
                ", or NAME.ann (NAME.jsonld) for the annotations and the .txt beside them"
            } else {
                ""
            }
        )));
    };
    let bytes: Vec<(PathBuf, &[u8])> = targets
        .iter()
        .map(|(p, c)| (p.clone(), c.as_bytes()))
        .collect();
    save(&bytes, options)
}

/// For one document written as several files of one stem (brat's `.ann` and `.txt`) and `-o`
/// naming the first (`out.ann`): the paths beside it (`out.txt`).
fn companions<'a>(
    out: &Path,
    to: Format,
    files: &'a [(String, String)],
) -> Option<Vec<(PathBuf, &'a str)>> {
    let (first, _) = files.first()?;
    let stem = first.strip_suffix(to.suffix())?;
    if !has_suffix(out, to.suffix()) {
        return None;
    }
    let out_name = out.file_name()?.to_string_lossy().into_owned();
    let out_stem = out_name.get(..out_name.len().checked_sub(to.suffix().len())?)?;
    files
        .iter()
        .map(|(name, content)| {
            let suffix = name.strip_prefix(stem)?;
            Some((
                out.with_file_name(format!("{out_stem}{suffix}")),
                content.as_str(),
            ))
        })
        .collect()
}

/// Writes the files, refusing to overwrite the input or its text.
fn save(targets: &[(PathBuf, &[u8])], options: &Options) -> Result<(), Failure> {
    // The input, its text (given, or the .txt beside it that brat and W3C read) and its labels.
    let beside = options
        .input
        .as_ref()
        .map(|input| input.with_extension("txt"));
    let inputs: Vec<PathBuf> = [&options.input, &options.text, &beside, &options.labels]
        .into_iter()
        .flatten()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for (path, _) in targets {
        if std::fs::canonicalize(path).is_ok_and(|p| inputs.contains(&p)) {
            return Err(usage(format!(
                "{} is an input file; choose another -o",
                path.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (path, content) in targets {
        let result = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
            _ => Ok(()),
        }
        .and_then(|()| std::fs::write(path, content));
        result.map_err(|e| {
            Failure::Invalid(vec![format!(
                "spanmark: cannot write {}: {e}",
                path.display()
            )])
        })?;
        written.push(path.display().to_string());
    }
    eprintln!("wrote {}", written.join(", "));
    Ok(())
}

/// The current time (UTC) for the entries of a written archive.
fn now() -> Stamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Stamp::from_unix(secs)
}

/// Whether a command's argument is a server's address rather than a file.
fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
}

/// The arguments of a team command: its paths or URL, its options (each given once) and its
/// switches.
#[derive(Default)]
struct TeamArgs {
    positional: Vec<String>,
    options: std::collections::HashMap<String, String>,
    switches: Vec<String>,
}

/// Parses `args` of team command `command`, whose options are `allowed` (each takes a value)
/// and `switches` (none does).
fn team_args(
    command: &str,
    args: &[OsString],
    allowed: &[&str],
    switches: &[&str],
) -> Result<TeamArgs, Failure> {
    let mut parsed = TeamArgs::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg
            .to_str()
            .ok_or_else(|| usage(format!("{arg:?} is not valid text")))?;
        let is_option = arg.starts_with("--") || (arg.starts_with('-') && arg.len() == 2);
        if !is_option {
            parsed.positional.push(arg.to_owned());
            continue;
        }
        if switches.contains(&arg) {
            if parsed.switches.iter().any(|s| s == arg) {
                return Err(usage(format!("{arg} is given twice")));
            }
            parsed.switches.push(arg.to_owned());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (arg, None),
        };
        if !allowed.contains(&name) {
            return Err(usage(format!("{command}: unknown option {name:?}")));
        }
        let value = match inline {
            Some(v) => v,
            None => args
                .next()
                .and_then(|v| v.to_str())
                .ok_or_else(|| usage(format!("{name} needs a value")))?
                .to_owned(),
        };
        if parsed.options.insert(name.to_owned(), value).is_some() {
            return Err(usage(format!("{name} is given twice")));
        }
    }
    Ok(parsed)
}

/// The database at `url` as the user the options or the environment name.
fn database(url: &str, args: &TeamArgs) -> Result<couch::Db, Failure> {
    let from_env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    let user = args
        .options
        .get("--user")
        .cloned()
        .or_else(|| from_env("SPANMARK_USER"));
    let password = args
        .options
        .get("--password")
        .cloned()
        .or_else(|| from_env("SPANMARK_PASSWORD"));
    let credentials = match (&user, &password) {
        (Some(u), Some(p)) => Some((u.as_str(), p.as_str())),
        (Some(_), None) => {
            return Err(usage(
                "a user needs a password: --password, or SPANMARK_PASSWORD",
            ))
        }
        _ => None,
    };
    couch::Db::new(url, credentials).map_err(|e| usage(e.to_string()))
}

/// A server's refusal or silence, as the command's failure.
fn couch_failure(what: &str, e: couch::CouchError) -> Failure {
    Failure::Invalid(vec![format!("spanmark: {what}: {e}")])
}

/// The schema of `path`: a schema on its own (`{"labels": …, "relation_types": …}`, as the
/// native file holds it), or the schema of the one document a file holds (a native file
/// downloaded after editing the guidelines in the app, say). Checked.
fn schema_of(path: &Path) -> Result<Schema, Failure> {
    let bytes = read_file(path)?;
    let name = file_name(path);
    let bare = serde_json::from_slice::<Schema>(&bytes).ok();
    let schema = match bare {
        Some(schema) => schema,
        None => {
            let empty = Schema {
                labels: Vec::new(),
                relation_types: Vec::new(),
            };
            let mut imported =
                convert::open_files(&[(name.clone(), bytes)], &empty).map_err(|errors| {
                    Failure::Invalid(errors.iter().flat_map(|(n, e)| problems(n, e)).collect())
                })?;
            match imported.documents.len() {
                1 => imported.documents.remove(0).schema,
                n => {
                    return Err(Failure::Invalid(vec![format!(
                        "{name}: holds {n} documents; give a file with one, or the schema alone"
                    )]))
                }
            }
        }
    };
    schema
        .check()
        .map_err(|e| Failure::Invalid(vec![format!("{name}: {e}")]))?;
    Ok(schema)
}

/// The current time as ISO 8601 (UTC), for an annotation's `changed`.
fn now_iso() -> String {
    now().iso()
}

/// `init`, `push` and `pull`: a team project on a CouchDB server.
fn team_command(command: &str, rest: &[OsString]) -> Result<(), Failure> {
    match command {
        "init" => {
            let args = team_args(command, rest, &["--user", "--password"], &[])?;
            let [url] = args.positional.as_slice() else {
                return Err(usage("init takes one URL/DB"));
            };
            let db = database(url, &args)?;
            let done = team::init(&db).map_err(|e| couch_failure("init", e))?;
            eprintln!(
                "{} {}: rules and security installed",
                if done.created { "created" } else { "updated" },
                db.name()
            );
            Ok(())
        }
        "push" => {
            let args = team_args(
                command,
                rest,
                &["--to", "--as", "--user", "--password"],
                &[],
            )?;
            let url = args
                .options
                .get("--to")
                .ok_or_else(|| usage("push needs --to URL/DB"))?;
            if args.positional.is_empty() {
                return Err(usage("push needs the files to upload"));
            }
            let annotator = args.options.get("--as");
            if annotator.is_some_and(|a| !spanmark_formats::team::valid_user(a)) {
                return Err(usage("--as needs a user name without ':'"));
            }
            let mut files = Vec::new();
            for path in &args.positional {
                let path = Path::new(path);
                files.push((file_name(path), read_file(path)?));
            }
            // No schema of the command's own: the names are the files', exactly.
            let schema = Schema {
                labels: Vec::new(),
                relation_types: Vec::new(),
            };
            let imported = convert::open_files(&files, &schema).map_err(|errors| {
                Failure::Invalid(errors.iter().flat_map(|(n, e)| problems(n, e)).collect())
            })?;
            for w in &imported.warnings {
                eprintln!("warning: {w}");
            }
            let db = database(url, &args)?;
            let pushed = team::push(
                &db,
                &imported.documents,
                annotator.map(String::as_str),
                &now_iso(),
            )
            .map_err(|e| couch_failure("push", e))?;
            for m in &pushed.merged {
                eprintln!("note: {m}");
            }
            eprintln!(
                "pushed to {}: {} document{}, {} annotation{}{}",
                db.name(),
                pushed.documents,
                if pushed.documents == 1 { "" } else { "s" },
                pushed.annotations,
                if pushed.annotations == 1 { "" } else { "s" },
                if pushed.unchanged > 0 {
                    format!(" ({} the same as on the server)", pushed.unchanged)
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        "assign" => {
            let args = team_args(
                command,
                rest,
                &["--per-doc", "--annotators", "--user", "--password"],
                &[],
            )?;
            let [url] = args.positional.as_slice() else {
                return Err(usage("assign takes one URL/DB"));
            };
            let per_doc: usize = args
                .options
                .get("--per-doc")
                .ok_or_else(|| usage("assign needs --per-doc K"))?
                .parse()
                .map_err(|_| usage("--per-doc needs a whole number"))?;
            let annotators = match args.options.get("--annotators") {
                Some(list) => {
                    let names: Vec<String> = list
                        .split(',')
                        .map(|n| n.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .collect();
                    if let Some(bad) = names
                        .iter()
                        .find(|n| !spanmark_formats::team::valid_user(n))
                    {
                        return Err(usage(format!("{bad:?} is not a user name")));
                    }
                    Some(names)
                }
                None => None,
            };
            let db = database(url, &args)?;
            let done =
                team::assign(&db, annotators, per_doc).map_err(|e| couch_failure("assign", e))?;
            let load: Vec<String> = done
                .load
                .iter()
                .map(|(user, n)| format!("{user} {n}"))
                .collect();
            eprintln!(
                "assigned {} document{} to {per_doc} annotator{} each ({} kept as assigned before): {}",
                done.new,
                if done.new == 1 { "" } else { "s" },
                if per_doc == 1 { "" } else { "s" },
                done.kept,
                load.join(", ")
            );
            Ok(())
        }
        "guidelines" => {
            let args = team_args(command, rest, &["--user", "--password"], &[])?;
            let [url, file] = args.positional.as_slice() else {
                return Err(usage("guidelines takes URL/DB and a file with the schema"));
            };
            let schema = schema_of(Path::new(file))?;
            let db = database(url, &args)?;
            let changed =
                team::guidelines(&db, &schema).map_err(|e| couch_failure("guidelines", e))?;
            eprintln!(
                "{}: the project's schema set; {changed} document{} took its guidelines",
                db.name(),
                if changed == 1 { "" } else { "s" }
            );
            Ok(())
        }
        "agree" => {
            let args = team_args(command, rest, &["--user", "--password"], &["--json"])?;
            let [url] = args.positional.as_slice() else {
                return Err(usage("agree takes one URL/DB, or two or more files"));
            };
            let db = database(url, &args)?;
            let d = team::dashboard(&db).map_err(|e| couch_failure("agree", e))?;
            for p in &d.problems {
                eprintln!("warning: not read: {p}");
            }
            let out = if args.switches.iter().any(|s| s == "--json") {
                // Plain numbers and strings: serializing cannot fail.
                serde_json::to_string_pretty(&d).unwrap_or_default() + "\n"
            } else {
                table::corpus_table(&d)
            };
            std::io::stdout()
                .write_all(out.as_bytes())
                .and_then(|()| std::io::stdout().flush())
                .map_err(|e| Failure::Invalid(vec![format!("spanmark: cannot write: {e}")]))
        }
        _ => {
            let args = team_args(
                command,
                rest,
                &["--to", "-o", "--output", "--scheme", "--user", "--password"],
                &["--gold"],
            )?;
            let [url] = args.positional.as_slice() else {
                return Err(usage("pull takes one URL/DB"));
            };
            let to = format_arg(
                args.options
                    .get("--to")
                    .ok_or_else(|| usage("pull needs --to FORMAT"))?,
            )?;
            let output = args
                .options
                .get("-o")
                .or_else(|| args.options.get("--output"))
                .ok_or_else(|| usage("pull needs -o OUT (a folder, or a .zip)"))?;
            let scheme = match args.options.get("--scheme") {
                Some(id) => Some(Scheme::from_id(id).ok_or_else(|| {
                    usage(format!(
                        "unknown tag scheme {id:?}; the schemes are iob2 and bioes"
                    ))
                })?),
                None => None,
            };
            let db = database(url, &args)?;
            let gold = args.switches.iter().any(|s| s == "--gold");
            let (docs, unread) = if gold {
                team::pull_gold(&db)
            } else {
                team::pull(&db)
            }
            .map_err(|e| couch_failure("pull", e))?;
            if gold && docs.is_empty() {
                eprintln!("note: no document of {} is curated yet", db.name());
            }
            for p in &unread {
                eprintln!("warning: not read: {p}");
            }
            let options = Options {
                output: Some(PathBuf::from(output)),
                scheme,
                ..Options::default()
            };
            write_out(&options, to, &docs)
        }
    }
}
