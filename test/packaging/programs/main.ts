// A cdk8s program as a user writes it: the operator, a subnet router and who may use it.
import { App, Chart } from 'cdk8s';
import {
  Connector,
  OperatorCredentials,
  POLICY_FILE,
  TailscaleOperator,
  isValidationError,
  type TailscaleOperatorProps,
} from '@tailkube/cdk8s';

export function build(outdir: string): App {
  const app = new App({ outdir });
  const props: TailscaleOperatorProps = {
    hostname: 'k8s-operator',
    defaultProxyTags: ['tag:k8s'],
    credentials: OperatorCredentials.fromSecret('operator-oauth'),
  };
  new TailscaleOperator(new Chart(app, 'operator'), 'Operator', props);
  const office = new Connector(new Chart(app, 'platform'), 'office', {
    subnetRouter: { advertiseRoutes: ['10.20.0.0/16'] },
    tags: ['tag:office'],
  });
  office.allow(['alice@example.com']);
  return app;
}

export function typeErrors(app: App): void {
  // @ts-expect-error: not a firewall mode
  new TailscaleOperator(new Chart(app, 'bad'), 'Operator', { firewallMode: 'ipchains' });
  // @ts-expect-error: tags are a list
  new TailscaleOperator(new Chart(app, 'bad2'), 'Operator', { tags: 'tag:k8s' });
}

/** The field a bad hostname is reported on, through the brand check of the error. */
export function invalidField(): string {
  try {
    new TailscaleOperator(new Chart(new App(), 'invalid'), 'Operator', { hostname: 'Not A Hostname' });
  } catch (error) {
    if (isValidationError(error)) return error.field;
    throw error;
  }
  return 'none';
}

const outdir = process.env['SYNTH_OUTDIR'];
if (outdir !== undefined) {
  build(outdir).synth();
  console.log(JSON.stringify({ invalidField: invalidField(), policyFile: POLICY_FILE }));
}
