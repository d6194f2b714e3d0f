// The network stacks ttyconf applies settings through: words every layer uses, no I/O.

export type StackName = 'nm' | 'network-scripts' | 'iproute2';
export const STACK_NAMES: readonly StackName[] = ['nm', 'network-scripts', 'iproute2'];

export function isStackName(s: string): s is StackName {
  return (STACK_NAMES as readonly string[]).includes(s);
}

export const STACK_LABEL: Record<StackName, string> = {
  nm: 'NetworkManager',
  'network-scripts': 'network-scripts (legacy network service)',
  iproute2: 'iproute2 (ttyconf applies the settings itself)',
};
