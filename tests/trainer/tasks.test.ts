import { describe, expect, it } from 'vitest';
import { getTask, outputNames, TASK_NAMES } from '../../src-main/trainer/tasks';

describe('trainer/tasks', () => {
  it('names each task’s outputs, one name per output', () => {
    expect(outputNames('sincos', 2)).toEqual(['sin x', 'cos x']);
    expect(outputNames('wave', 1)).toEqual(['sin 2πx']);
    expect(outputNames('bump', 1)).toEqual(['bump']);
    for (const name of TASK_NAMES) expect(getTask(name).outputNames).toHaveLength(getTask(name).outputs);
  });

  it('numbers the outputs of an unknown task, or of a network with another number of outputs', () => {
    expect(outputNames('ring', 3)).toEqual(['output 1', 'output 2', 'output 3']);
    expect(outputNames('sincos', 1)).toEqual(['output 1']);
  });

  it('hands out a copy, so a caller cannot rename a task', () => {
    outputNames('sincos', 2).push('x');
    expect(outputNames('sincos', 2)).toEqual(['sin x', 'cos x']);
  });
});
