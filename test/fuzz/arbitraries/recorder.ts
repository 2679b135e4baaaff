import fc from 'fast-check';
import {
  bool,
  containerFields,
  objectName,
  oddString,
  operatorTailnetRef,
  orWrong,
  podFields,
  props,
  stringMap,
  tags,
  url,
} from './shared';

const pod = fc.record(
  {
    ...podFields,
    container: orWrong(fc.record(containerFields, { requiredKeys: [] })),
    serviceAccount: orWrong(fc.record({ name: objectName, annotations: stringMap }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

/** Props of the Recorder. */
export const recorder = props({
  name: objectName,
  tags,
  enableUI: bool,
  storage: orWrong(
    fc.record({
      s3: fc.record(
        {
          endpoint: fc.oneof(fc.constantFrom('s3.amazonaws.com', 'minio.local:9000'), url),
          bucket: fc.oneof(fc.constantFrom('recordings', 'my.bucket', 'Bad_Bucket'), oddString),
          credentialsSecret: orWrong(fc.record({ name: objectName })),
        },
        { requiredKeys: ['endpoint', 'bucket'] },
      ),
    }),
  ),
  replicas: fc.oneof(fc.constantFrom(1, 2, 0), fc.constantFrom(-1, 1.5)),
  statefulSet: orWrong(
    fc.record({ labels: stringMap, annotations: stringMap, pod: orWrong(pod) }, { requiredKeys: [] }),
  ),
  operatorTailnet: operatorTailnetRef,
});

/** Props that pass validation, with names from a small pool so that programs' names collide. */
export const validRecorder = fc.record({ name: fc.constantFrom('web', 'db'), enableUI: fc.constant(true) });
