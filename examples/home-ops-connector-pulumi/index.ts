import { tailnetProgram } from '@tailkube/pulumi';
import { program, tailnetArgs } from './program';

export = tailnetProgram(tailnetArgs, program);
