import { tailnetProgram } from '@tailkube/pulumi';
import { basePolicy, program } from './program';

// The stack exports the outputs; the components are for the tests.
export = tailnetProgram({ basePolicy }, async () => (await program()).outputs);
