import { stat } from 'node:fs/promises';
import { AutomatosError } from '../../core/index.js';

export async function requireDirectory(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new AutomatosError('AUT_IO', `${path} does not exist`);
  if (!info.isDirectory()) throw new AutomatosError('AUT_IO', `${path} is not a directory`);
  return path;
}
