// The Pulumi program's entry point, as `pulumi up` runs it.
import { tailnetProgram } from '@tailkube/pulumi';
import { program } from './program';

export = tailnetProgram({}, program);
