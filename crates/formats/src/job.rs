//! The codec worker's jobs: what the page asks of the codecs (open files, open annotators'
//! files to compare, write a download) and of agreement (compare annotators, curate, measure a
//! team's corpus), and what they answer, as data that crosses between threads as JSON. File contents travel beside a job as bytes, in order, and a download's
//! bytes beside its answer: they are not worth spelling out as JSON numbers.
//!
//! The page keeps only Spanmark's own format (its storage); every other codec, zip and the
//! agreement measures are in a worker loaded on the first Open, Download or Compare. [`handle`] is the whole of what that
//! worker does; the browser glue on either side only carries strings and bytes. Documents
//! cross as native files ([`native::write`]): the format that carries everything a document
//! holds.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use spanmark_core::agreement::{self, Annotation, Comparison, CorpusReport, ItemKey, Report};
use spanmark_core::{AnnotatedDocument, Schema};

use crate::convert::{self, Errors, ReadOptions};
use crate::{archive, file_name, native, Format, FormatError, Imported, Problem};

/// A job for the codecs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Job {
    /// Open files (named here, their bytes beside the job) onto `schema`, as Open does.
    Open {
        names: Vec<String>,
        schema: Schema,
        strict: bool,
    },
    /// Open files as separate annotators' annotations of one document, as Compare does.
    Annotations { names: Vec<String>, schema: Schema },
    /// Write `documents` (native files) in the format of id `format`, as one download: the
    /// file itself when the format gives one file for one document, else a zip. With `all`,
    /// always a zip named after the number of documents (*Download all*).
    Download {
        format: String,
        documents: Vec<String>,
        all: bool,
    },
    /// Compare annotators: `documents` (native files) are annotator `names[i]`'s versions of one
    /// document.
    Compare {
        names: Vec<String>,
        documents: Vec<String>,
    },
    /// The curated document of a comparison: what all agreed on, and the `accepted` disputed
    /// items.
    Curate {
        names: Vec<String>,
        documents: Vec<String>,
        comparison: Comparison,
        accepted: Vec<ItemKey>,
    },
    /// The agreement across a team's corpus, from its database rows (`team::dashboard::read`).
    CorpusAgreement { rows: Vec<Value> },
}

/// What the codecs answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// What [`Job::Open`] read, or each file's error.
    Opened(Result<Opened, Errors>),
    /// What [`Job::Annotations`] read, each document a native file with the name of the file it
    /// came from; or each file's error.
    Annotations(Result<Vec<(String, String)>, Errors>),
    /// A download's file name and what its format could not carry; its bytes travel beside.
    Download { name: String, lost: Vec<String> },
    /// The agreement table and the items of [`Job::Compare`], or why they cannot be compared.
    Compared(Result<(Report, Comparison), String>),
    /// The curated document of [`Job::Curate`] (a native file), or why there is none.
    Curated(Result<String, String>),
    /// The corpus report of [`Job::CorpusAgreement`], with what could not be measured.
    CorpusAgreement(CorpusReport, Vec<String>),
    /// The job could not be done at all, and why (a page and a worker of different releases,
    /// or documents that are not native files).
    Refused(String),
}

/// [`Imported`] as it crosses: the documents as native files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opened {
    pub documents: Vec<String>,
    pub warnings: Vec<Problem>,
    pub read: usize,
}

impl Opened {
    /// What crosses for `imported`.
    pub fn new(imported: &Imported) -> Opened {
        Opened {
            documents: imported.documents.iter().map(native::write).collect(),
            warnings: imported.warnings.clone(),
            read: imported.read,
        }
    }

    /// The [`Imported`] this was made from.
    pub fn imported(self) -> Result<Imported, FormatError> {
        Ok(Imported {
            documents: parse_all(&self.documents)?,
            warnings: self.warnings,
            read: self.read,
        })
    }
}

/// Native files back into documents.
pub fn parse_all(files: &[String]) -> Result<Vec<AnnotatedDocument>, FormatError> {
    files.iter().map(|f| native::parse(f)).collect()
}

/// Does `job` on `files` (the bytes its names stand for, in order): the answer, and the bytes of
/// a download (empty otherwise).
pub fn run(job: Job, files: Vec<Vec<u8>>) -> (Answer, Vec<u8>) {
    match job {
        Job::Open {
            names,
            schema,
            strict,
        } => {
            let files: Vec<(String, Vec<u8>)> = names.into_iter().zip(files).collect();
            let options = ReadOptions {
                strict,
                label_names: None,
            };
            let outcome = convert::open_files_with(&files, &schema, &options);
            (Answer::Opened(outcome.map(|i| Opened::new(&i))), Vec::new())
        }
        Job::Annotations { names, schema } => {
            let files: Vec<(String, Vec<u8>)> = names.into_iter().zip(files).collect();
            let outcome = convert::open_annotations(&files, &schema).map(|named| {
                named
                    .iter()
                    .map(|(name, doc)| (name.clone(), native::write(doc)))
                    .collect()
            });
            (Answer::Annotations(outcome), Vec::new())
        }
        Job::Download {
            format,
            documents,
            all,
        } => {
            let Some(format) = Format::from_id(&format) else {
                return refused(format!("no format has the id \"{format}\""));
            };
            match parse_all(&documents) {
                Ok(docs) => download(format, &docs, all),
                Err(e) => refused(format!("a document to write is not a Spanmark file: {e}")),
            }
        }
        Job::Compare { names, documents } => match parse_all(&documents) {
            Ok(docs) => {
                let annotations = annotations(&names, &docs);
                let compared = agreement::agreement(&annotations)
                    .and_then(|r| Ok((r, agreement::compare(&annotations)?)))
                    .map_err(|e| e.to_string());
                (Answer::Compared(compared), Vec::new())
            }
            Err(e) => refused(format!("a document to compare is not a Spanmark file: {e}")),
        },
        Job::Curate {
            names,
            documents,
            comparison,
            accepted,
        } => match parse_all(&documents) {
            Ok(docs) => {
                let accepted: HashSet<ItemKey> = accepted.into_iter().collect();
                let curated =
                    agreement::curate(&annotations(&names, &docs), &comparison, &accepted)
                        .map(|d| native::write(&d))
                        .map_err(|e| e.to_string());
                (Answer::Curated(curated), Vec::new())
            }
            Err(e) => refused(format!("a document to curate is not a Spanmark file: {e}")),
        },
        Job::CorpusAgreement { rows } => {
            let (report, problems) = crate::team::dashboard::read(&rows).agreement();
            (Answer::CorpusAgreement(report, problems), Vec::new())
        }
    }
}

/// Annotator `names[i]`'s version `docs[i]`, as agreement takes them.
fn annotations<'a>(names: &'a [String], docs: &'a [AnnotatedDocument]) -> Vec<Annotation<'a>> {
    names
        .iter()
        .zip(docs)
        .map(|(name, doc)| Annotation { name, doc })
        .collect()
}

fn refused(why: String) -> (Answer, Vec<u8>) {
    (Answer::Refused(why), Vec::new())
}

/// One download of `docs` in `format` (see [`Job::Download`]).
fn download(format: Format, docs: &[AnnotatedDocument], all: bool) -> (Answer, Vec<u8>) {
    let files = convert::write(format, docs);
    let (name, bytes, lost) = match (docs, all) {
        ([doc], false) => {
            let lost = convert::losses(format, doc);
            match <[(String, String); 1]>::try_from(files) {
                Ok([(name, contents)]) => (name, contents.into_bytes(), lost),
                Err(files) => (
                    file_name(&doc.document.title, &format!(".{}.zip", format.id())),
                    archive::write(&files),
                    lost,
                ),
            }
        }
        _ => {
            let lost = docs
                .iter()
                .flat_map(|d| {
                    convert::losses(format, d)
                        .into_iter()
                        .map(|l| format!("{l} ({})", d.document.title))
                })
                .collect();
            // Always one zip, even when the format puts every document in one file.
            let name = format!("spanmark-{}-documents.{}.zip", docs.len(), format.id());
            (name, archive::write(&files), lost)
        }
    };
    (Answer::Download { name, lost }, bytes)
}

/// The worker's whole work: a job as JSON and its files in, the answer as JSON and a download's
/// bytes out. A job that is not JSON of a [`Job`] is answered [`Answer::Refused`]; this never
/// panics.
pub fn handle(job: &str, files: Vec<Vec<u8>>) -> (String, Vec<u8>) {
    let (answer, bytes) = match serde_json::from_str::<Job>(job) {
        Ok(job) => run(job, files),
        Err(e) => refused(format!("the job could not be read: {e}")),
    };
    let json = serde_json::to_string(&answer).unwrap_or_else(|e| {
        // Serializing these types cannot fail (no maps with non-string keys; serde_json writes
        // a float that is not finite as null), but the page still gets an answer it can read
        // if it ever did.
        format!(r#"{{"Refused":"the answer could not be written: {e}"}}"#)
    });
    (json, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema::default()
    }

    /// A brat pair: `text`, and one Actor span over `start..end`.
    fn brat(title: &str, text: &str, start: usize, end: usize) -> Vec<(String, Vec<u8>)> {
        let ann = format!("T1\tActor {start} {end}\t{}\n", &text[start..end]);
        vec![
            (format!("{title}.txt"), text.as_bytes().to_vec()),
            (format!("{title}.ann"), ann.into_bytes()),
        ]
    }

    fn article() -> AnnotatedDocument {
        let files = brat("report", "Ana Lima said no.\n", 0, 8);
        let mut opened = convert::open_files(&files, &schema()).unwrap();
        assert_eq!(opened.documents.len(), 1);
        opened.documents.remove(0)
    }

    fn ask(job: &Job, files: Vec<Vec<u8>>) -> (Answer, Vec<u8>) {
        let json = serde_json::to_string(job).unwrap();
        let (answer, bytes) = handle(&json, files);
        (serde_json::from_str(&answer).unwrap(), bytes)
    }

    #[test]
    fn opening_through_the_worker_gives_what_opening_here_gives() {
        let files = vec![
            ("a.txt".to_owned(), b"Plain text.".to_vec()),
            (
                "b.spanmark.json".to_owned(),
                native::write(&article()).into_bytes(),
            ),
        ];
        let here = convert::open_files_with(&files, &schema(), &ReadOptions::default()).unwrap();
        let job = Job::Open {
            names: files.iter().map(|(n, _)| n.clone()).collect(),
            schema: schema(),
            strict: false,
        };
        let (answer, bytes) = ask(&job, files.into_iter().map(|(_, b)| b).collect());
        assert!(bytes.is_empty());
        let Answer::Opened(Ok(opened)) = answer else {
            panic!("not opened: {answer:?}");
        };
        assert_eq!(opened.imported().unwrap(), here);
    }

    #[test]
    fn strict_opening_refuses_what_lenient_opening_trims() {
        let files = brat("t", "Ana said", 0, 4);
        let open = |strict| Job::Open {
            names: files.iter().map(|(n, _)| n.clone()).collect(),
            schema: schema(),
            strict,
        };
        let bytes = || files.iter().map(|(_, b)| b.clone()).collect::<Vec<_>>();
        let (lenient, _) = ask(&open(false), bytes());
        let (strict, _) = ask(&open(true), bytes());
        match (lenient, strict) {
            (Answer::Opened(Ok(o)), Answer::Opened(Err(errors))) => {
                assert_eq!(o.warnings.len(), 1, "{o:?}");
                assert_eq!(errors[0].0, "t.ann");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_file_that_cannot_be_opened_crosses_with_its_typed_error() {
        let job = Job::Open {
            names: vec!["broken.json".into()],
            schema: schema(),
            strict: false,
        };
        let (answer, _) = ask(&job, vec![b"{\"spanmark\": 1,".to_vec()]);
        let Answer::Opened(Err(errors)) = answer else {
            panic!("{answer:?}");
        };
        assert_eq!(errors.len(), 1);
        assert!(
            matches!(errors[0].1, FormatError::Json { line: 1, .. }),
            "{errors:?}"
        );
    }

    #[test]
    fn a_download_of_one_document_is_its_file_and_of_two_files_a_zip() {
        let docs = vec![native::write(&article())];
        let job = |format: &str, all| Job::Download {
            format: format.into(),
            documents: docs.clone(),
            all,
        };
        let (answer, bytes) = ask(&job("conll", false), Vec::new());
        let expected = convert::write(Format::Conll, &[article()]);
        assert_eq!(
            answer,
            Answer::Download {
                name: expected[0].0.clone(),
                lost: convert::losses(Format::Conll, &article()),
            }
        );
        assert_eq!(bytes, expected[0].1.as_bytes());

        let (answer, bytes) = ask(&job("brat", false), Vec::new());
        assert!(
            matches!(&answer, Answer::Download { name, .. } if name == "report.brat.zip"),
            "{answer:?}"
        );
        let entries = archive::read(&bytes).unwrap();
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["report.ann", "report.txt"]);

        let (answer, bytes) = ask(&job("spanmark", true), Vec::new());
        assert!(
            matches!(&answer, Answer::Download { name, .. } if name == "spanmark-1-documents.spanmark.zip"),
            "{answer:?}"
        );
        assert_eq!(archive::read(&bytes).unwrap().len(), 1);
    }

    #[test]
    fn annotators_files_come_back_named_by_their_file() {
        let file = native::write(&article());
        let job = Job::Annotations {
            names: vec!["ana.json".into(), "ben.json".into()],
            schema: schema(),
        };
        let (answer, _) = ask(&job, vec![file.clone().into_bytes(), file.into_bytes()]);
        let Answer::Annotations(Ok(named)) = answer else {
            panic!("{answer:?}");
        };
        let names: Vec<&str> = named.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["ana.json", "ben.json"]);
        assert_eq!(parse_all(&[named[0].1.clone()]).unwrap(), vec![article()]);
    }

    #[test]
    fn comparing_and_curating_through_the_worker_give_what_they_give_here() {
        let ours = article();
        let files = brat("report", "Ana Lima said no.\n", 9, 13);
        let theirs = convert::open_files(&files, &schema())
            .unwrap()
            .documents
            .remove(0);
        let names = vec!["ana".to_owned(), "ben".to_owned()];
        let docs = vec![ours.clone(), theirs.clone()];
        let here = annotations(&names, &docs);
        let report = agreement::agreement(&here).unwrap();
        let comparison = agreement::compare(&here).unwrap();
        assert_eq!(comparison.disputed.len(), 2, "{comparison:?}");
        let documents: Vec<String> = docs.iter().map(native::write).collect();

        let job = Job::Compare {
            names: names.clone(),
            documents: documents.clone(),
        };
        let (answer, _) = ask(&job, Vec::new());
        assert_eq!(answer, Answer::Compared(Ok((report, comparison.clone()))));

        let accepted = vec![comparison.disputed[1].key.clone()];
        let expected = agreement::curate(
            &here,
            &comparison,
            &accepted.iter().cloned().collect::<HashSet<_>>(),
        )
        .unwrap();
        let job = Job::Curate {
            names,
            documents,
            comparison,
            accepted,
        };
        let (answer, _) = ask(&job, Vec::new());
        let Answer::Curated(Ok(curated)) = answer else {
            panic!("{answer:?}");
        };
        assert_eq!(native::parse(&curated).unwrap(), expected);
    }

    #[test]
    fn different_texts_are_refused_with_the_reason() {
        let other = convert::open_files(&brat("x", "Another text.", 0, 7), &schema())
            .unwrap()
            .documents
            .remove(0);
        let job = Job::Compare {
            names: vec!["a".into(), "b".into()],
            documents: vec![native::write(&article()), native::write(&other)],
        };
        let (answer, _) = ask(&job, Vec::new());
        assert!(
            matches!(&answer, Answer::Compared(Err(why)) if why.contains("not the same text")),
            "{answer:?}"
        );
    }

    #[test]
    fn a_corpus_is_measured_in_the_worker_as_here() {
        use crate::team::{annotation_json, document_json, Status};
        const TEXT: &str = "Lavrov said Kerry denied it in Geneva.";
        let base = spanmark_testkit::annotated(TEXT, &[]);
        let mut rows = vec![document_json(&base)];
        for (user, spans) in [
            ("anna", &[("Lavrov", "actor"), ("Geneva", "place")][..]),
            ("ben", &[("Lavrov", "actor")][..]),
        ] {
            let mut d = spanmark_testkit::annotated(TEXT, spans);
            d.document = base.document.clone();
            rows.push(annotation_json(
                &d,
                user,
                Status::Done,
                "2026-12-04T10:00:00Z",
            ));
        }
        let here = crate::team::dashboard::read(&rows).agreement();
        assert_eq!(here.0.documents.len(), 1, "{here:?}");
        let (answer, _) = ask(&Job::CorpusAgreement { rows }, Vec::new());
        assert_eq!(answer, Answer::CorpusAgreement(here.0, here.1));
    }

    #[test]
    fn a_job_from_another_release_is_refused_not_a_panic() {
        let (answer, bytes) = handle(r#"{"Translate":{"to":"fr"}}"#, Vec::new());
        assert!(answer.starts_with(r#"{"Refused":"#), "{answer}");
        assert!(bytes.is_empty());
        let (answer, _) = ask(
            &Job::Download {
                format: "klingon".into(),
                documents: Vec::new(),
                all: false,
            },
            Vec::new(),
        );
        assert!(matches!(answer, Answer::Refused(_)), "{answer:?}");
    }
}
