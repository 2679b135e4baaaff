import { type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ValidationError,
  checkObjectName,
  proxyClassRequirements,
  proxyClassWarnings,
  renderProxyClass,
  resolveProxyClassProps,
  type IProxyClass,
  type ProxyClassProps as CoreProxyClassProps,
  type ResolvedProxyClassProps,
} from '@tailkube/core/internal';
import { toApiObject } from './private/api-object';
import { pathOf } from './private/path';
import { Tailnet } from './tailnet';

/** Props of the cdk8s {@link ProxyClass}. */
export interface ProxyClassProps extends CoreProxyClassProps {}

/**
 * A ProxyClass: settings for the proxies the operator creates (StatefulSet and pod metadata,
 * scheduling, images, resources, metrics, static endpoints). Cluster-scoped, so its object carries
 * no namespace even in a chart that stamps one. It carries no tags: proxies take theirs from the
 * Connector, Service or Ingress that uses the class.
 *
 * Setting a `TS_*` environment variable is allowed but reported as a Node.js warning
 * (`TailkubeWarning`), as the operator reports it: such variables may break proxies.
 *
 * @see https://tailscale.com/kb/1445/kubernetes-operator-customization
 */
export class ProxyClass extends Construct implements IProxyClass {
  /**
   * A ProxyClass the program does not own, by name (for example one a platform team manages).
   */
  static fromName(scope: Construct, id: string, name: string): IProxyClass {
    const violation = checkObjectName(name, 'name');
    if (violation) throw new ValidationError({ path: pathOf('ProxyClass', scope, id), ...violation });
    return new ImportedProxyClass(scope, id, name);
  }

  /** The ProxyClass object's name. */
  readonly name: string;
  /** The props with every default applied. */
  readonly props: ResolvedProxyClassProps;
  /** What the operator would warn about in this ProxyClass (`TS_*` environment variables). */
  readonly warnings: readonly string[];
  /** The ProxyClass object. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ProxyClassProps = {}) {
    const path = pathOf('ProxyClass', scope, id);
    const resolved = resolveProxyClassProps(path, id, props);
    // Registered before the construct joins the tree (static endpoint ports are checked across
    // the program); a sealed tailnet throws here and nothing is left behind.
    Tailnet.of(scope).register(proxyClassRequirements(path, resolved), scope);
    super(scope, id);
    this.props = resolved;
    this.name = resolved.name;
    this.warnings = proxyClassWarnings(path, props);
    for (const warning of this.warnings) process.emitWarning(warning, 'TailkubeWarning');
    this.apiObject = toApiObject(this, 'Resource', renderProxyClass(resolved));
  }
}

/** A reference to a ProxyClass by name; renders nothing. */
class ImportedProxyClass extends Construct implements IProxyClass {
  constructor(
    scope: Construct,
    id: string,
    readonly name: string,
  ) {
    super(scope, id);
  }
}
