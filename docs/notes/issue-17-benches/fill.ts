import { fillUiStore } from '../../../src-main/cli/bench-ui';
const [file, c, s] = process.argv.slice(2);
fillUiStore(file, Number(c), Number(s));
