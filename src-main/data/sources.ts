/**
 * Where a lab, a CLI or a trainer process finds the data a spec names, and the one way a spec
 * becomes its Task there: a table by its content hash (from the database, or sent by the lab to
 * a trainer process, with the values of the columns the spec uses), Fashion-MNIST from its files
 * (checked against the hash the spec recorded). Node-side: the trainer core only sees the result.
 */
import { checkShapeFits, type RunSpec, SpecError } from '../trainer/spec';
import { type Table, type TableInfo, usedColumns } from '../trainer/table';
import { type DataContext, resolveSpecTask, type TaskData, taskInfo } from '../trainer/task-resolve';
import { outputNames, type Task, TASK_DEFS } from '../trainer/tasks';
import { DataMissingError, fashionMnistHash, loadFashionMnist } from './fashion-mnist';

export { DataMissingError };

/** A table by content hash with (at least) the values of `columns`, or undefined when it is not here. */
export type TableSource = (sha256: string, columns: readonly string[]) => Table | undefined;

/** Tables at hand (those a trainer process was sent). */
export function tablesFrom(tables: readonly Table[]): TableSource {
  return (sha256) => tables.find((t) => t.sha256 === sha256);
}

export const NO_TABLES: TableSource = () => undefined;

/** The tables a spec reads, with the values of the columns it uses (for a trainer process's job message). */
export function tablesFor(specs: readonly RunSpec[], source: TableSource): Table[] {
  const out: Table[] = [];
  for (const spec of specs) {
    if (TASK_DEFS[spec.task].sampling !== 'table' || out.some((t) => t.sha256 === spec.dataset)) continue;
    // a sweep's specs may use different columns of one table: load the union
    const columns = [...new Set(specs.filter((s) => s.dataset === spec.dataset).flatMap(usedColumns))];
    const table = source(spec.dataset, columns);
    if (!table) throw new SpecError('dataset', `there is no data set ${spec.dataset} in this database (import it first)`);
    out.push(table);
  }
  return out;
}

/**
 * The data a spec's task reads (images from `imagesDir` when given, else from where this machine
 * keeps them). Throws SpecError for a table that is not here, DataMissingError for missing files.
 */
export function taskDataFor(spec: RunSpec, tables: TableSource, imagesDir?: string): TaskData {
  const sampling = TASK_DEFS[spec.task].sampling;
  if (sampling === 'images') return { images: loadFashionMnist(imagesDir) };
  if (sampling !== 'table') return {};
  const table = tables(spec.dataset, usedColumns(spec));
  if (!table) throw new SpecError('dataset', `there is no data set ${spec.dataset} here`);
  return { table };
}

/** A spec's Task, from its data, with the shape checked against it (a trainer process re-checks what the lab checked). */
export function taskFor(spec: RunSpec, tables: TableSource, imagesDir?: string): Task {
  const task = resolveSpecTask(spec, taskDataFor(spec, tables, imagesDir));
  checkShapeFits(spec.shape, task);
  return task;
}

/** What a lab or the CLI knows about data when it checks specs: the tables of its database, Fashion-MNIST's files here. */
export function dataContext(describe: (sha256: string) => TableInfo | undefined): DataContext {
  return {
    table: describe,
    imagesHash: () => {
      try {
        return fashionMnistHash();
      } catch (e) {
        // files that are not there are the task's problem (the message says how to install them), not the lab's
        if (e instanceof DataMissingError) throw new SpecError('task', e.message);
        throw e;
      }
    },
  };
}

/** The names of a spec's outputs where its data is known (a table's classes, a target's parts), else outputNames'. */
export function outputNamesOf(spec: RunSpec, context: DataContext): string[] {
  const outputs = spec.shape[spec.shape.length - 1];
  const info = taskInfo(spec, context);
  return info && info.outputs === outputs ? [...info.outputNames] : outputNames(spec, outputs);
}
