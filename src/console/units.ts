// Where ttyconf's systemd units live and which links put it on a terminal.
// Root-relative paths (through Root), absolute link targets as systemd sees them at boot.
import type { Tty } from './tty.js';

/** Where the package installs units (EL7/8/9; Debian with merged /usr too). */
export const UNIT_DIRS = ['usr/lib/systemd/system', 'lib/systemd/system'] as const;
export const ETC_UNITS = 'etc/systemd/system';
export const TEMPLATE = 'ttyconf@.service';
/** The serial-only drop-in as the package installs it (systemd/ttyconf-serial.conf in the source). */
export const SERIAL_DROPIN_SOURCE = 'usr/share/ttyconf/ttyconf-serial.conf';
export const SERIAL_DROPIN_NAME = 'ttyconf-serial.conf';
/** Per-tty record of what `console enable` replaced, so `disable` restores exactly that. */
export const CONSOLE_STATE_DIR = 'var/lib/ttyconf/console';

export const unitName = (tty: Tty): string => `ttyconf@${tty.name}.service`;

/** The getty units that would fight ttyconf for this terminal (all masked while ttyconf owns it). */
export function gettyUnits(tty: Tty): string[] {
  // autovt@ttyN is what logind starts when someone switches to VT N: an alias of getty@, but
  // masking getty@ttyN alone does not mask the alias's instance name on every systemd version.
  return tty.kind === 'vt'
    ? [`getty@${tty.name}.service`, `autovt@${tty.name}.service`, `serial-getty@${tty.name}.service`]
    : [`serial-getty@${tty.name}.service`, `getty@${tty.name}.service`];
}

/** The getty that normally serves this terminal (the one `disable` may start again). */
export function nativeGetty(tty: Tty): string {
  return tty.kind === 'vt' ? `getty@${tty.name}.service` : `serial-getty@${tty.name}.service`;
}

export interface DesiredLink {
  /** Root-relative path of the link. */
  readonly path: string;
  /** What the link points to. */
  readonly target: string;
  readonly why: string;
}

/**
 * The links that put ttyconf on `tty`, given where the template unit is installed (root-relative).
 * Exactly what `systemctl enable ttyconf@TTY` and `systemctl mask` would create, plus the drop-in.
 */
export function desiredLinks(tty: Tty, templateDir: string): DesiredLink[] {
  const links: DesiredLink[] = [
    {
      path: `${ETC_UNITS}/getty.target.wants/${unitName(tty)}`,
      target: `/${templateDir}/${TEMPLATE}`,
      why: `enable ${unitName(tty)}`,
    },
  ];
  if (tty.kind === 'serial') {
    links.push({
      path: `${ETC_UNITS}/${unitName(tty)}.d/${SERIAL_DROPIN_NAME}`,
      // Relative, so it resolves both at boot and under an offline root (systemd-analyze --root, image tools).
      target: `../../../../${SERIAL_DROPIN_SOURCE}`,
      why: `serial settings for ${unitName(tty)} (TERM=vt220, ASCII, device binding)`,
    });
  }
  for (const g of gettyUnits(tty)) links.push({ path: `${ETC_UNITS}/${g}`, target: '/dev/null', why: `mask ${g}` });
  return links;
}
