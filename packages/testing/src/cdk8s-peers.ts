// Imported first by `./cdk8s`, so a missing optional peer fails with what to install. The
// modules stay cached for the imports that follow.
import { loadPeers } from './peers';

loadPeers('@tailkube/testing/cdk8s', ['@tailkube/cdk8s', 'cdk8s', 'constructs'], () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('constructs');
  require('cdk8s');
  require('@tailkube/cdk8s');
  /* eslint-enable @typescript-eslint/no-require-imports */
});
