import { tailnetProgram } from '@tailkube/pulumi';
import { program, tailnetArgs } from './program';

// The stack exports the outputs; the components are for the tests.
export = tailnetProgram(tailnetArgs, async () => (await program()).outputs);
