//! Entries sorted by key in bounded memory, an external sort: what a bulk load writes into
//! each tree and what `check` expects of each. Entries are packed in memory up to a
//! budget; past it, each tree's entries are sorted and written to an anonymous temporary
//! file as a run, and the runs are merged when the tree is read back.
//!
//! At scale 10,000 a load or a check packs 29 million index entries, 1.7 GiB: held whole,
//! they were most of either command's peak.

use super::packed::Packed;
use super::trees::TreeId;
use super::{Result, StoreError};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

/// The entries of many trees, each to be read back in key order (equal keys in no set
/// order).
pub struct Spill {
    /// How many bytes of entries may be held before they are spilled.
    budget: usize,
    held: HashMap<TreeId, Packed>,
    held_bytes: usize,
    runs: HashMap<TreeId, Vec<File>>,
    counts: HashMap<TreeId, usize>,
}

impl Spill {
    pub fn new(budget: usize) -> Spill {
        Spill {
            budget,
            held: HashMap::new(),
            held_bytes: 0,
            runs: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    pub fn push(&mut self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<()> {
        self.held.entry(tree).or_default().push(key, value)?;
        *self.counts.entry(tree).or_default() += 1;
        // A packed entry also costs its span.
        self.held_bytes += key.len() + value.len() + 16;
        if self.held_bytes > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many entries were pushed for `tree`.
    pub fn count(&self, tree: TreeId) -> usize {
        self.counts.get(&tree).copied().unwrap_or(0)
    }

    /// Every tree with an entry pushed, and how many.
    pub fn counts(&self) -> impl Iterator<Item = (TreeId, usize)> + '_ {
        self.counts.iter().map(|(&tree, &n)| (tree, n))
    }

    /// How many entries were pushed in all.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// Writes each tree's held entries, sorted, as a run of its own. A tree with
    /// [`MAX_RUNS`] runs has them merged into one, so that the open files stay bounded
    /// however large the input.
    fn spill(&mut self) -> Result<()> {
        for (tree, mut packed) in self.held.drain() {
            packed.sort();
            let mut run = RunWriter::new()?;
            for (key, value) in packed.iter() {
                run.push(key, value)?;
            }
            let runs = self.runs.entry(tree).or_default();
            runs.push(run.finish()?);
            if runs.len() >= MAX_RUNS {
                let mut merged = merge(std::mem::take(runs), Packed::default())?;
                let mut run = RunWriter::new()?;
                while let Some((key, value)) = merged.peek() {
                    run.push(key, value)?;
                    merged.advance()?;
                }
                runs.push(run.finish()?);
            }
        }
        self.held_bytes = 0;
        tracing::debug!("sorted entries spilled to disk");
        Ok(())
    }

    /// The entries pushed for `tree`, in key order; they leave the spill.
    pub fn take(&mut self, tree: TreeId) -> Result<Sorted> {
        let mut held = self.held.remove(&tree).unwrap_or_default();
        held.sort();
        merge(self.runs.remove(&tree).unwrap_or_default(), held)
    }
}

/// Runs a tree may have before they are merged into one.
const MAX_RUNS: usize = 16;

/// `runs` and the sorted `held` entries, merged in key order.
fn merge(runs: Vec<File>, held: Packed) -> Result<Sorted> {
    let mut sources: Vec<Source> = Vec::new();
    for file in runs {
        let mut run = Run {
            reader: BufReader::with_capacity(1 << 16, file),
            key: Vec::new(),
            value: Vec::new(),
        };
        if run.advance()? {
            sources.push(Source::Run(run));
        }
    }
    if !held.is_empty() {
        sources.push(Source::Held(held, 0));
    }
    Ok(Sorted {
        sources,
        current: None,
    })
}

/// A run being written to a new anonymous temporary file, entries in the order given.
struct RunWriter(BufWriter<File>);

impl RunWriter {
    fn new() -> Result<RunWriter> {
        let file = tempfile::tempfile().map_err(spill_error)?;
        Ok(RunWriter(BufWriter::with_capacity(1 << 16, file)))
    }

    fn push(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        for part in [key, value] {
            self.0
                .write_all(&length(part)?.to_le_bytes())
                .map_err(spill_error)?;
            self.0.write_all(part).map_err(spill_error)?;
        }
        Ok(())
    }

    /// The run's file, to be read from its start.
    fn finish(self) -> Result<File> {
        let mut file = self
            .0
            .into_inner()
            .map_err(|e| spill_error(e.into_error()))?;
        file.rewind().map_err(spill_error)?;
        Ok(file)
    }
}

/// One tree's entries in key order, merged from its runs and what was held: read with
/// [`Sorted::peek`] and [`Sorted::advance`].
pub struct Sorted {
    sources: Vec<Source>,
    /// The source whose entry is the least, once found.
    current: Option<usize>,
}

enum Source {
    Run(Run),
    Held(Packed, usize),
}

impl Source {
    fn entry(&self) -> (&[u8], &[u8]) {
        match self {
            Source::Run(run) => (&run.key, &run.value),
            Source::Held(packed, i) => packed.get(*i),
        }
    }

    /// Moves to the next entry; `false` when there is none.
    fn advance(&mut self) -> Result<bool> {
        match self {
            Source::Run(run) => run.advance(),
            Source::Held(packed, i) => {
                *i += 1;
                Ok(*i < packed.len())
            }
        }
    }
}

/// A spilled run, read an entry at a time.
struct Run {
    reader: BufReader<File>,
    key: Vec<u8>,
    value: Vec<u8>,
}

impl Run {
    fn advance(&mut self) -> Result<bool> {
        let mut len = [0u8; 4];
        match self.reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(spill_error(e)),
        }
        read_part(&mut self.reader, len, &mut self.key)?;
        self.reader.read_exact(&mut len).map_err(spill_error)?;
        read_part(&mut self.reader, len, &mut self.value)?;
        Ok(true)
    }
}

fn read_part(reader: &mut BufReader<File>, len: [u8; 4], into: &mut Vec<u8>) -> Result<()> {
    let len = usize::try_from(u32::from_le_bytes(len))
        .map_err(|_| StoreError::Corrupt("a spilled entry past usize".into()))?;
    into.resize(len, 0);
    reader.read_exact(into).map_err(spill_error)
}

impl Sorted {
    /// The least entry not yet passed.
    pub fn peek(&mut self) -> Option<(&[u8], &[u8])> {
        let current = match self.current {
            Some(i) => i,
            None => {
                // Few sources (one per run): a scan beats a heap's bookkeeping.
                let i = (0..self.sources.len())
                    .min_by(|&a, &b| self.sources[a].entry().0.cmp(self.sources[b].entry().0))?;
                self.current = Some(i);
                i
            }
        };
        Some(self.sources[current].entry())
    }

    /// Passes the entry [`Sorted::peek`] showed.
    pub fn advance(&mut self) -> Result<()> {
        if self.current.is_none() && self.peek().is_none() {
            return Ok(());
        }
        if let Some(i) = self.current.take() {
            if !self.sources[i].advance()? {
                self.sources.swap_remove(i);
            }
        }
        Ok(())
    }

    /// Calls `f` on each entry in key order.
    pub fn for_each(mut self, mut f: impl FnMut(&[u8], &[u8]) -> Result<()>) -> Result<()> {
        while let Some((key, value)) = self.peek() {
            f(key, value)?;
            self.advance()?;
        }
        Ok(())
    }
}

fn length(part: &[u8]) -> Result<u32> {
    u32::try_from(part.len())
        .map_err(|_| StoreError::Corrupt(format!("an entry of {} bytes", part.len())))
}

fn spill_error(e: std::io::Error) -> StoreError {
    StoreError::Spill(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeKind;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 256,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Whatever the budget, each tree's entries come back as a plain sort gives them.
        #[test]
        fn spilled_entries_come_back_in_key_order(
            entries in prop::collection::vec(
                (0usize..3, prop::collection::vec(0u8..4, 0..6), prop::collection::vec(any::<u8>(), 0..4)),
                0..300,
            ),
            budget in 0usize..400,
        ) {
            let trees = [TreeId::Search, TreeId::Out, TreeId::Node(NodeKind::Meeting)];
            let mut spill = Spill::new(budget);
            for (t, key, value) in &entries {
                spill.push(trees[*t], key, value).unwrap();
            }
            prop_assert_eq!(spill.len(), entries.len());
            for (t, tree) in trees.iter().enumerate() {
                let mut want: Vec<(Vec<u8>, Vec<u8>)> = entries
                    .iter()
                    .filter(|(u, _, _)| *u == t)
                    .map(|(_, k, v)| (k.clone(), v.clone()))
                    .collect();
                prop_assert_eq!(spill.count(*tree), want.len());
                let mut got = Vec::new();
                spill.take(*tree).unwrap().for_each(|k, v| {
                    got.push((k.to_vec(), v.to_vec()));
                    Ok(())
                }).unwrap();
                // Equal keys come in no set order: compare as multisets, and the keys in order.
                let keys: Vec<&Vec<u8>> = got.iter().map(|(k, _)| k).collect();
                prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]));
                got.sort();
                want.sort();
                prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn a_small_budget_spills_runs_to_disk_and_merges_them_past_max_runs() {
        // An entry costs 21 bytes of the budget: a run every 4 entries, 25 in all.
        let mut spill = Spill::new(64);
        for i in (0u32..100).rev() {
            spill.push(TreeId::Cite, &i.to_be_bytes(), b"v").unwrap();
        }
        let runs = spill.runs.get(&TreeId::Cite).map_or(0, Vec::len);
        assert!((1..MAX_RUNS).contains(&runs), "{runs} runs");
        let mut got = Vec::new();
        spill
            .take(TreeId::Cite)
            .unwrap()
            .for_each(|k, _| {
                got.push(u32::from_be_bytes(k.try_into().unwrap()));
                Ok(())
            })
            .unwrap();
        assert_eq!(got, (0..100).collect::<Vec<_>>());
    }
}
