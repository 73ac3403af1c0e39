import { classify, commandName, deny, lit, type CommandRule } from './context.js';

/** Whole-disk destruction: formatting, partitioning, wiping, raw writes to block devices. */

const FORMATTERS =
  /^(mkfs(\..+)?|mke2fs|mkswap|mkdosfs|mkntfs|wipefs|blkdiscard|fdisk|sfdisk|cfdisk|gdisk|sgdisk|cgdisk|parted|zpool|lvremove|vgremove|pvremove|pvcreate|vgcreate|cryptsetup|badblocks)$/;
const BLOCK_DEVICE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|mapper\/|disk\/|sr|nbd)/;

export const formatters: CommandRule = (cmd) => {
  const name = commandName(cmd);
  if (!FORMATTERS.test(name)) return undefined;
  const args = cmd.args.map(lit);
  // Listing partitions and pools is read-only.
  if (
    /^(fdisk|sfdisk|parted|gdisk)$/.test(name) &&
    args.some((a) => a === '-l' || a === '--list' || a === 'print')
  )
    return undefined;
  if (name === 'zpool' && !args.some((a) => a === 'destroy' || a === 'create' || a === 'labelclear'))
    return undefined;
  if (name === 'cryptsetup' && !args.some((a) => a === 'luksFormat' || a === 'erase' || a === 'luksErase'))
    return undefined;
  if (name === 'badblocks' && !args.some((a) => a === '-w')) return undefined;
  return deny('disk_destroy', cmd, `${name} formats, partitions or wipes storage`);
};

/** `dd of=/dev/sda`, `cp x /dev/sda`, `> /dev/nvme0n1`, `hdparm --security-erase`. */
export const rawDeviceWrites: CommandRule = (cmd, ctx) => {
  const name = commandName(cmd);
  const targets = cmd.redirects.filter((r) => /[>]/.test(r.op)).map((r) => r.target);
  if (name === 'dd') {
    for (const arg of cmd.args) {
      const text = lit(arg);
      if (text?.startsWith('of=')) targets.push({ literal: text.slice(3) });
    }
  }
  const last = cmd.args[cmd.args.length - 1];
  if ((name === 'cp' || name === 'mv' || name === 'install') && last) targets.push(last);
  if (name === 'tee') targets.push(...cmd.args);
  if (
    name === 'hdparm' &&
    cmd.args.some((a) => /^--(security-erase|trim-sector|write-sector)/.test(lit(a) ?? ''))
  ) {
    return deny('disk_destroy', cmd, 'hdparm erases or overwrites disk sectors');
  }
  for (const target of targets) {
    const { path } = classify(target, cmd, ctx, false);
    if (BLOCK_DEVICE.test(path))
      return deny('disk_destroy', cmd, `writes raw data to the block device ${path}`);
  }
  return undefined;
};

export const diskRules: CommandRule[] = [formatters, rawDeviceWrites];
