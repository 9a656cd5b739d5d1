/**
 * Where Calico's reference CRD manifests are: `CALICO_CRD_DIR`, else `shared/calico-crds` beside
 * this repository (as on CI and developer machines), else `/work/shared/calico-crds`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const besideRepo = fileURLToPath(new URL('../../../shared/calico-crds', import.meta.url));

/** Absolute path of the folder holding `crd.projectcalico.org_*.yaml`. */
export const CALICO_CRD_DIR: string = process.env.CALICO_CRD_DIR ?? (existsSync(besideRepo) ? besideRepo : '/work/shared/calico-crds');
