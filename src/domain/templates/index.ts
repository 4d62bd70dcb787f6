// The workflows a new shop can start from, one per trade, and the blank one to build its own from.
import { CUSTOM_APPAREL } from '../../demo/custom-apparel.ts';
import type { WorkflowDefinition } from '../workflow.ts';
import { COMMERCIAL_PRINT } from './commercial-print.ts';
import { FURNITURE_JOINERY } from './furniture-joinery.ts';
import { MACHINING_JOB_SHOP } from './machining-job-shop.ts';
import { SIGNS_AND_BANNERS } from './signs-banners.ts';

export interface WorkflowTemplate {
  /** The trade, as the setup screen names it. */
  trade: string;
  /** One sentence on what the template covers. */
  summary: string;
  workflow: WorkflowDefinition;
}

export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  {
    trade: 'Custom apparel',
    summary: 'Screen print, DTG and embroidery: proof approval, blank garments from the supplier, press, QC, dispatch.',
    workflow: CUSTOM_APPAREL,
  },
  {
    trade: 'Commercial print',
    summary: 'Offset and digital print: preflight, proof sign-off, plates and make-ready, press, finishing, courier.',
    workflow: COMMERCIAL_PRINT,
  },
  {
    trade: 'Signs and banners',
    summary: 'Site survey, visual approval, materials, print and fabrication, then installation on site.',
    workflow: SIGNS_AND_BANNERS,
  },
  {
    trade: 'Furniture and joinery',
    summary: 'Survey, drawings approval, deposit, timber, machining, assembly, finishing and fitting.',
    workflow: FURNITURE_JOINERY,
  },
  {
    trade: 'Machining job shop',
    summary: 'PO review, material with certs, CAM, first-article inspection, the run, outside finishing, final inspection.',
    workflow: MACHINING_JOB_SHOP,
  },
];

export function findTemplate(key: string): WorkflowTemplate | undefined {
  return WORKFLOW_TEMPLATES.find((t) => t.workflow.key === key);
}

/**
 * A start for a shop that builds its own workflow: three plain stages to rename, split and add to in the
 * workflow editor (a workflow needs at least two).
 */
export function blankWorkflow(name: string): WorkflowDefinition {
  return {
    key: 'orders',
    name,
    orderPrefix: 'ORD',
    stages: [
      {
        key: 'received',
        label: 'Order received',
        ownerRole: 'sales',
        nextAction: 'Confirm the order details with the customer',
        stallAfterHours: 8,
        customerLabel: 'We have your order',
      },
      {
        key: 'in_production',
        label: 'In production',
        ownerRole: 'production',
        nextAction: 'Make the order',
        stallAfterHours: 40,
        customerLabel: 'Being made',
      },
      {
        key: 'shipped',
        label: 'Shipped',
        ownerRole: 'fulfillment',
        nextAction: 'Confirm delivery',
        customerLabel: 'On its way to you',
        invoiceTrigger: true,
      },
    ],
    fields: [{ key: 'quantity', label: 'Quantity', type: 'number', min: 1 }],
  };
}
