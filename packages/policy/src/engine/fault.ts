/** One reason the control plane would reject the policy. */
export interface PolicyFault {
  /** Where in the policy, for example `acls[2].dst[0]`. */
  readonly path: string;
  /** What is wrong, naming the same fault as the control plane's message. */
  readonly message: string;
}
