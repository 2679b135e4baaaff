import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import {
  ALLOW_OPTIONS_SHAPE,
  API_SERVER_PROXY_ACCESS_SHAPE,
  API_SERVER_PROXY_SHAPE,
  CONNECTOR_SHAPE,
  DNS_CONFIG_SHAPE,
  EGRESS_SERVICE_SHAPE,
  FUNNEL_INGRESS_SHAPE,
  GITOPS_OPERATOR_FIELDS,
  PROXY_CLASS_SHAPE,
  PROXY_GROUP_ATTRIBUTES_SHAPE,
  PROXY_GROUP_POLICY_SHAPE,
  PROXY_GROUP_SHAPE,
  RECORDER_SHAPE,
  TAILNET_FIELDS,
  TAILSCALE_INGRESS_SHAPE,
  TAILSCALE_OPERATOR_SHAPE,
  TAILSCALE_SERVICE_SHAPE,
  OPERATOR_TAILNET_SHAPE,
  PEER_RELAY_SHAPE,
  checkedByRule,
  list,
  number,
  object,
  type Shape,
} from '../../src/internal';

const SRC = path.join(__dirname, '../../src');

/** Every props interface a public entry point takes, with the shape checked for it. */
const CHECKED: readonly [file: string, name: string, shape: Shape][] = [
  ['props/api-server-proxy.ts', 'ApiServerProxyProps', API_SERVER_PROXY_SHAPE],
  ['props/api-server-proxy.ts', 'ApiServerProxyAccessOptions', API_SERVER_PROXY_ACCESS_SHAPE],
  ['props/connector.ts', 'ConnectorProps', CONNECTOR_SHAPE],
  ['props/dns-config.ts', 'DNSConfigProps', DNS_CONFIG_SHAPE],
  ['props/egress-service.ts', 'EgressServiceProps', EGRESS_SERVICE_SHAPE],
  ['props/funnel-ingress.ts', 'FunnelIngressProps', FUNNEL_INGRESS_SHAPE],
  ['props/proxy-class.ts', 'ProxyClassProps', PROXY_CLASS_SHAPE],
  ['props/proxy-group-policy.ts', 'ProxyGroupPolicyProps', PROXY_GROUP_POLICY_SHAPE],
  ['props/proxy-group.ts', 'ProxyGroupProps', PROXY_GROUP_SHAPE],
  ['props/proxy-group.ts', 'ProxyGroupAttributes', PROXY_GROUP_ATTRIBUTES_SHAPE],
  ['props/recorder.ts', 'RecorderProps', RECORDER_SHAPE],
  ['props/tailscale-ingress.ts', 'TailscaleIngressProps', TAILSCALE_INGRESS_SHAPE],
  ['props/tailscale-operator.ts', 'TailscaleOperatorProps', TAILSCALE_OPERATOR_SHAPE],
  ['props/tailscale-service.ts', 'TailscaleServiceProps', TAILSCALE_SERVICE_SHAPE],
  ['props/operator-tailnet.ts', 'OperatorTailnetProps', OPERATOR_TAILNET_SHAPE],
  ['props/peer-relay.ts', 'PeerRelayProps', PEER_RELAY_SHAPE],
  ['access.ts', 'AllowOptions', ALLOW_OPTIONS_SHAPE],
  ['program/tailnet-model.ts', 'TailnetModelProps', object(TAILNET_FIELDS)],
];

/**
 * Every exported `…Props` interface of a construct, read from the files in `props/`; a `…BaseProps`
 * is checked through the interfaces that extend it.
 */
const PROPS_INTERFACES = fs
  .readdirSync(path.join(SRC, 'props'))
  .flatMap((file) =>
    [
      ...fs.readFileSync(path.join(SRC, 'props', file), 'utf8').matchAll(/^export interface (\w+Props) /gm),
    ].map((match) => `props/${file} ${match[1]}`),
  )
  .filter((entry) => !entry.endsWith('BaseProps'))
  .sort();

const program = ts.createProgram(
  [...new Set([...CHECKED.map(([file]) => file), 'render/gitops.ts'].map((file) => path.join(SRC, file)))],
  {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: path.join(__dirname, '../../../..'),
    paths: {
      '@tailkube/policy': ['packages/policy/src/index.ts'],
      '@tailkube/policy/*': ['packages/policy/src/*'],
    },
  },
);
const checker = program.getTypeChecker();

/** The declared interface `name` in `file`. */
function interfaceType(file: string, name: string): ts.Type {
  const source = program.getSourceFile(path.join(SRC, file));
  if (!source) throw new Error(`no source ${file}`);
  let found: ts.Type | undefined;
  ts.forEachChild(source, (node) => {
    if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name.text === name) {
      found = checker.getTypeAtLocation(node.name);
    }
  });
  if (!found) throw new Error(`no interface ${name} in ${file}`);
  return found;
}

/** The object type worth comparing key by key: not a string, number or the like, arrays unwrapped. */
function objectPart(type: ts.Type): ts.Type | undefined {
  const parts = type.isUnion() ? type.types : [type];
  for (const part of parts) {
    if (checker.isArrayType(part)) return objectPart(checker.getTypeArguments(part as ts.TypeReference)[0]!);
    if (part.flags & ts.TypeFlags.Object && checker.getPropertiesOfType(part).length > 0) return part;
  }
  return undefined;
}

/**
 * Where the shape and the interface disagree: a key of the interface without a shape, or a shape
 * key the interface does not have (other than a misuse a rule checks, marked `checkedByRule`).
 */
function mismatches(type: ts.Type, shape: Shape, at: string): string[] {
  const fields = shape.fields;
  if (!fields) return [];
  const props = checker.getPropertiesOfType(type);
  const names = new Set(props.map((p) => p.name));
  const found: string[] = [];
  for (const prop of props) {
    const sub = fields[prop.name];
    if (!sub) {
      found.push(`${at}.${prop.name} has no shape`);
      continue;
    }
    const declared = prop.declarations?.[0];
    const propType = declared ? checker.getTypeOfSymbolAtLocation(prop, declared) : undefined;
    const inner = propType && objectPart(checker.getNonNullableType(propType));
    const subShape = sub.fields ? sub : sub.item;
    if (inner && subShape) found.push(...mismatches(inner, subShape, `${at}.${prop.name}`));
  }
  for (const key of Object.keys(fields)) {
    if (!names.has(key) && fields[key] !== checkedByRule) found.push(`${at}.${key} is not in the interface`);
  }
  return found;
}

describe('every props interface has a shape, key for key', () => {
  test('every construct props interface in props/ is checked', () => {
    const checked = new Set(CHECKED.map(([file, name]) => `${file} ${name}`));
    expect(PROPS_INTERFACES.filter((entry) => !checked.has(entry))).toStrictEqual([]);
  });

  test.each(CHECKED.map(([file, name, shape]) => [name, file, shape] as const))('%s', (name, file, shape) => {
    expect(mismatches(interfaceType(file, name), shape, name)).toStrictEqual([]);
  });

  test('the cdk8s TailscaleOperator adds exactly its GitOps props', () => {
    const type = interfaceType('render/gitops.ts', 'ArgoCdOptions');
    expect(mismatches(type, GITOPS_OPERATOR_FIELDS['argoCd']!, 'argoCd')).toStrictEqual([]);
    expect(Object.keys(GITOPS_OPERATOR_FIELDS).sort()).toStrictEqual(['argoCd', 'gitops']);
  });
});

describe('the comparison itself', () => {
  test('names a key missing from a nested shape, and a shape key the interface lacks', () => {
    // GIVEN the Connector shape with `subnetRouter` emptied and an invented key
    const fields = { ...CONNECTOR_SHAPE.fields, subnetRouter: object({}), invented: object({}) };

    // THEN
    expect(
      mismatches(interfaceType('props/connector.ts', 'ConnectorProps'), object(fields), 'C'),
    ).toStrictEqual(['C.subnetRouter.advertiseRoutes has no shape', 'C.invented is not in the interface']);
  });

  test('looks into list items', () => {
    const fields = { ...EGRESS_SERVICE_SHAPE.fields, ports: list(object({ port: number })) };
    expect(
      mismatches(interfaceType('props/egress-service.ts', 'EgressServiceProps'), object(fields), 'E'),
    ).toStrictEqual(['E.ports.name has no shape', 'E.ports.protocol has no shape']);
  });
});
