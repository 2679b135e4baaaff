import { tailnetProgram } from '@tailkube/pulumi';
import { basePolicy, program } from './program';

export = tailnetProgram({ basePolicy }, program);
