// Imported first by `./pulumi`, so a missing optional peer fails with what to install. The
// modules stay cached for the imports that follow.
import { loadPeers } from './peers';

loadPeers(
  '@tailkube/testing/pulumi',
  ['@tailkube/pulumi', '@pulumi/pulumi', '@pulumi/kubernetes', '@pulumi/tailscale'],
  () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    require('@pulumi/pulumi');
    require('@tailkube/pulumi');
    /* eslint-enable @typescript-eslint/no-require-imports */
  },
);
