/**
 * The CLI's data flags: `--data FILE.csv` (a CSV read as a stream, refused with
 * `FILE: line L, column C: reason` when it cannot be a table, and stored once in the database by
 * content hash) and what a spec is checked against on the command line (that table, the
 * database's data sets, Fashion-MNIST's files). A file already in the database is found by its
 * hash and not read again. `nnlab data import|list`: the data sets of a database.
 */
import type { Command } from 'commander';
import type { RunStore } from '../db/store';
import { fmtBytes } from '../analysis/format';
import { StoreError } from '../db/errors';
import { DB_OPTION, openStoreFor } from './store';
import { CsvError, hashFile, readCsvFile } from '../data/csv';
import { DataMissingError, fashionMnistHash } from '../data/fashion-mnist';
import { columnListText } from '../trainer/spec-fields';
import type { DataContext } from '../trainer/task-resolve';
import type { Table, TableInfo } from '../trainer/table';
import { DataError, headerNote } from '../trainer/table';
import { RunFailedError, UsageError } from './usage';
import { isShortHash, wholeHash } from '../data/short-hash';

export const DATA_OPTION = ['--data <file.csv>', 'train on a CSV file with a header row (task csv): choose --inputs, and --targets (regression) or --label (classification); stored once in the database by content hash'] as const;

/** The table, after saying on stderr what headerNote says of it (a file without a header row, most likely). */
function noted<T extends TableInfo>(file: string, table: T): T {
  const note = headerNote(table);
  if (note) process.stderr.write(`nnlab: note: ${file}: ${note}\n`);
  return table;
}

/** The table of `--data FILE`: from the database when it holds the file already (found by its hash), else read from the file. */
export async function tableOption(file: string, store: RunStore | null): Promise<{ table: Table | null; info: TableInfo }> {
  try {
    if (store) {
      const { sha256 } = await hashFile(file);
      const info = store.datasets.info(sha256);
      if (info) return { table: null, info: noted(file, info) };
    }
    const table = await readCsvFile(file);
    return { table, info: noted(file, table) };
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(e.inFile(file));
    throw e;
  }
}

/** What specs are checked against here: a table at hand, the database's data sets, Fashion-MNIST's files (a missing one is a usage error of one line). */
export function cliDataContext(table: TableInfo | null, store: RunStore | null): DataContext {
  return {
    table: (sha256) => (table?.sha256 === sha256 ? table : store?.datasets.info(sha256)),
    imagesHash: () => {
      try {
        return fashionMnistHash();
      } catch (e) {
        if (e instanceof DataMissingError) throw new UsageError(e.message);
        throw e;
      }
    },
  };
}

export { isShortHash };

/**
 * The whole hash of the one data set among `hashes` whose hash starts with `prefix` (a short hash
 * a user copied from `data list`); refused when none or several do. A run's spec always names
 * the whole hash. `where`: who named it, as the refusal begins.
 */
export function wholeDatasetHash(prefix: string, hashes: readonly string[], where = DATASET_FLAG): string {
  const found = wholeHash(prefix, hashes, 'nnlab data list shows them');
  if ('hash' in found) return found.hash;
  throw new UsageError(`${where}: ${found.reason}`);
}

/** Who named a data set, as a refusal begins: the flag (`--dataset (dataset)`), or a spec file's field (`s.json: dataset`). */
export const DATASET_FLAG = '--dataset (dataset)';

/**
 * A DataError as the CLI says it: `FILE: line L, column C: reason`, FILE being the --data file or,
 * for a stored data set (--dataset), its name and short hash; else with the field.
 */
export function describeDataError(e: DataError, file: string | undefined, stored?: { dataset: unknown; context: DataContext }): string {
  if (file) return e.inFile(file);
  const info = stored && typeof stored.dataset === 'string' && stored.dataset ? stored.context.table?.(stored.dataset) : undefined;
  return info ? e.inFile(`${info.name} (data set ${info.sha256.slice(0, 12)})`) : e.message;
}

/** A column that held numbers until some line (a missing value, a NaN) says where it stopped, as the Data view's picker does: why it is no input. */
function stoppedAt(c: TableInfo['columns'][number]): string {
  const bad = c.notNumber;
  // numbers a locale wrote (1,5; 1,000) are numbers to a person from the first row on: say what the reader guessed
  const guess = bad && /\((a [^?()]+\?)/.exec(bad.reason)?.[1];
  if (bad && guess) return `, not numbers from line ${bad.line}: ${guess}`;
  return bad && (bad.line > 2 || c.empty) ? `, not numbers from line ${bad.line}` : '';
}

/** A data set as `nnlab data list` and `data import` print it: hash, name, size, rows and columns (with their kinds). */
function datasetLine(d: TableInfo & { runs?: number }): string {
  // each name as --inputs takes it back: `a, "b, c"` is two columns
  const cols = d.columns.map((c) => `${c.name === '' ? '(no name)' : columnListText([c.name])}${c.notNumber ? ` (${c.classes ? `${c.classes.length} class${c.classes.length === 1 ? '' : 'es'}` : 'text'}${stoppedAt(c)})` : ''}`);
  const shown = cols.length > 8 ? `${cols.slice(0, 8).join(', ')}, … (${cols.length} columns)` : cols.join(', ');
  const runs = d.runs === undefined ? '' : `, ${d.runs} run${d.runs === 1 ? '' : 's'}`;
  return `${d.sha256.slice(0, 12)}  ${d.name}  ${fmtBytes(d.bytes)}, ${d.rows.toLocaleString('en-US')} row${d.rows === 1 ? '' : 's'}${runs}: ${shown}`;
}

/** `nnlab data import FILE.csv` and `nnlab data list`: the data sets stored in a database. */
export function registerData(program: Command): void {
  const data = program.command('data').description('the data sets stored in the database (CSV files imported by content hash)');
  data
    .command('import')
    .description('read a CSV file with a header row and store it once in the database, by the sha256 of its bytes (refused with FILE: line L, column C: reason when it cannot be a table)')
    .argument('<file>', 'a CSV file')
    .option('--json', 'print the data set (sha256, name, bytes, rows, columns) as JSON')
    .option(...DB_OPTION)
    .action(async (file: string, o: { json?: boolean; db?: string }) => {
      const { store, writes } = await openStoreFor(o, 'write');
      try {
        const { table, info } = await tableOption(file, store);
        let created = false;
        if (table) {
          try {
            created = (await writes.write(`the data set ${table.name}`, () => store.datasets.put(table))).created;
          } catch (e) {
            if (e instanceof StoreError) throw new RunFailedError(`the data set was not stored: ${e.message}`);
            throw e;
          }
        }
        if (o.json) process.stdout.write(`${JSON.stringify({ ...info, created })}\n`);
        else process.stdout.write(`${created ? 'stored' : 'already stored'}: ${datasetLine(info)}\ntrain on it with: nnlab train --dataset ${info.sha256} --inputs … --targets … (or --label …)\n`);
      } finally {
        store.close();
      }
    });
  data
    .command('list')
    .description('the data sets in the database, newest first: content hash, name, size, rows, columns and the runs trained on each')
    .option('--json', 'as JSON')
    .option(...DB_OPTION)
    .action(async (o: { json?: boolean; db?: string }) => {
      const { store } = await openStoreFor(o, 'read');
      try {
        const list = store.datasets.list();
        if (o.json) process.stdout.write(`${JSON.stringify(list)}\n`);
        else process.stdout.write(list.length ? `${list.map(datasetLine).join('\n')}\n` : 'no data sets (nnlab data import FILE.csv, or nnlab train --data FILE.csv)\n');
      } finally {
        store.close();
      }
    });
}
