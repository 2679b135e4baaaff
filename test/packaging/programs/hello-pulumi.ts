import { TailscaleOperator, tailnetProgram } from '@tailkube/pulumi';

export = tailnetProgram({}, async () => {
  new TailscaleOperator('operator');
});
