import type { CreateResourceInput } from '../../catalog/index.js';

/** A catalog entry of the demo: the create body, who provides it and where its data lives. */
export interface DemoResource {
  /** The providing member's key (see members.ts). */
  provider: string;
  /** The generated table whose file or database table holds the data; absent for entries without data. */
  table?: string;
  /**
   * Left a draft (草稿), to show the lifecycle; `in_review`: submitted for publication and left
   * waiting in the catalog reviewer's queue (目录审核), where catalog review is required.
   */
  draft?: boolean | 'in_review';
  entry: Omit<CreateResourceInput, 'providerId' | 'code'>;
}

/** The contact point of a provider's data office. */
export function contact(
  name: string,
  phone: string,
  domain: string,
): { name: string; phone: string; email: string } {
  return { name, phone, email: `sjgx@${domain}` };
}

/** The open-data licence of the demo's open resources. */
export const OPEN_LICENCE = 'CC BY 4.0 (署名 4.0 国际)';

/** Conditions every conditional grant repeats: purpose, no onward transfer (条例第二十五条). */
export const STANDARD_CONDITIONS =
  '限于申请事项所述履职用途；不得向第三方提供；按《政务数据共享条例》第二十五条使用，用后销毁副本。';
