import { ValidationError, simulateNodeAttributes, type NodeAttributes } from '@tailkube/core/internal';
import { identityFor, type Endpoint } from './access';
import type { TestTailnet } from './test-tailnet';

/** The answer to "does every device `target` names hold `attribute`", explained. */
export interface NodeAttributeAnswer {
  /** `target`, as named in messages. */
  readonly target: string;
  /** Device name → the attribute's values (`null` for a bare attribute), for the devices holding it. */
  readonly holding: Readonly<Record<string, readonly unknown[] | null>>;
  /** The devices `target` names that lack it. */
  readonly lacking: readonly string[];
  /** The `nodeAttrs` entries that give the attribute, as `nodeAttrs[i] {...}`. */
  readonly givenBy: readonly string[];
  /** What a `nodeAttrs` entry giving the attribute to the target would name as `target`. */
  readonly targetSelectors: readonly string[];
}

/** The attributes of every device of the tailnet, computed once per tailnet. */
const attributesOf = new WeakMap<TestTailnet, Readonly<Record<string, NodeAttributes>>>();

/**
 * Which devices `target` names hold `attribute`, for `caller`. `target` is a construct of the program
 * (its devices), a `tag:` (the devices carrying it), a user's login (the user's devices) or the name
 * of a device of the topology.
 */
export function checkNodeAttribute(
  tailnet: TestTailnet,
  caller: string,
  query: { readonly target: Endpoint; readonly attribute: string },
): NodeAttributeAnswer {
  const { target, attribute } = query;
  if (typeof attribute !== 'string' || attribute.length === 0) {
    throw new ValidationError({
      path: caller,
      field: 'attribute',
      value: attribute,
      allowed: 'an attribute name such as "funnel"',
    });
  }
  const { label, devices, selectors } = devicesNamed(tailnet, caller, target);
  let attributes = attributesOf.get(tailnet);
  if (attributes === undefined) {
    attributes = simulateNodeAttributes(tailnet.policy, tailnet.topology);
    attributesOf.set(tailnet, attributes);
  }
  const holding: Record<string, readonly unknown[] | null> = {};
  const lacking: string[] = [];
  for (const device of devices) {
    const values = attributes[device]?.[attribute];
    if (values === undefined) lacking.push(device);
    else holding[device] = values;
  }
  const givenBy = (tailnet.policy.nodeAttrs ?? []).flatMap((entry, index) =>
    entry.attr?.includes(attribute) ? [`nodeAttrs[${index}] ${JSON.stringify(entry)}`] : [],
  );
  return { target: label, holding, lacking, givenBy, targetSelectors: selectors };
}

function devicesNamed(
  tailnet: TestTailnet,
  caller: string,
  target: Endpoint,
): { readonly label: string; readonly devices: readonly string[]; readonly selectors: readonly string[] } {
  const nodes = tailnet.topology.nodes;
  if (typeof target === 'object' && target !== null) {
    const identity = identityFor(tailnet, caller, 'target', target);
    const devices = tailnet.devicesOf(identity);
    if (devices.length > 0) return { label: identity.source, devices, selectors: identity.tags };
    throw new ValidationError({
      path: caller,
      field: 'target',
      value: identity.source,
      allowed: 'a construct with devices of its own (node attributes are given to devices)',
      hint: 'it runs on another construct’s devices; pass that construct',
    });
  }
  if (typeof target === 'string') {
    const devices = Object.keys(nodes).filter((name) => named(tailnet, target, name));
    if (devices.length > 0) return { label: target, devices, selectors: [target] };
  }
  throw new ValidationError({
    path: caller,
    field: 'target',
    value: typeof target === 'string' ? target : String(target),
    allowed: 'a construct of the program, a tag or user with devices, or a device name of the topology',
    hint: 'add a device for the test with `TestTailnet.of(result).withDevice(name, { tags })`',
  });
}

/** Whether device `name` is one `target` names: a tag it carries, its owner's login, or its name. */
function named(tailnet: TestTailnet, target: string, name: string): boolean {
  const node = tailnet.topology.nodes[name];
  if (node === undefined) return false;
  if (target.startsWith('tag:')) return node.tags.includes(target);
  if (!target.includes('@')) return name === target;
  const owner = tailnet.topology.users.find((user) => user.name === node.user);
  return node.tags.length === 0 && owner?.email === target;
}
