// The settings page's calls: one save for every section (PUT /settings with only what the section changes), the
// holidays look-up, the test e-mail, and the webhook endpoints with their delivery log.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, get, put } from '../api/client.ts';
import { keys } from '../api/queries.ts';
import type { Settings } from '../api/types.ts';
import { notify } from '../ui/notices.tsx';

export type SettingsChange = {
  calendar?: Settings['calendar'];
  dueSoonDays?: number;
  currency?: string;
  locale?: string;
  email?: { from?: string; shopName?: string; smtpUrl?: string | null };
  webhooks?: { allowPrivateNetworks?: boolean };
  publicUrl?: string;
  tracking?: { logoUrl?: string | null; accentColor?: string; contact?: string | null };
  customerUpdates?: { emailByDefault?: boolean };
};

/** Saves a section; the answer replaces the cached settings, and boards and orders are read again (flags, etas). */
export function useSaveSettings() {
  const qc = useQueryClient();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (change: SettingsChange, saved: string): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      const next = await put<Settings>('/settings', change);
      qc.setQueryData(keys.settings, next);
      if (change.calendar) {
        // Stalled flags and etas are counted on the calendar: everything showing them is out of date.
        for (const key of ['board', 'order', 'queue', 'alerts', 'search', 'recent'])
          void qc.invalidateQueries({ queryKey: [key] });
      }
      notify('success', saved);
      return true;
    } catch (err) {
      const p = err instanceof ApiProblem ? err : null;
      setProblem(p);
      notify('error', 'Not saved', p?.detail ?? 'Something went wrong; try again.');
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { save, busy, problem };
}

export interface Place {
  code: string;
  name: string;
}

export interface PublicHolidays {
  country: Place;
  region: Place | null;
  year: number;
  holidays: Array<{ date: string; name: string }>;
  regions: Place[];
}

export function useHolidayCountries() {
  return useQuery({
    queryKey: ['holiday-countries'],
    queryFn: ({ signal }) => get<{ items: Place[] }>('/settings/holidays', signal).then((r) => r.items),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface TestEmailResult {
  sent: boolean;
  serverAnswer: string | null;
  error: string | null;
  server: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  description: string | null;
  role: string | null;
  createdAt: string;
  updatedAt: string;
  deliveries: Partial<Record<DeliveryStatus, number>>;
}

export interface WebhookDelivery {
  id: number;
  messageId: string;
  eventSeq: number;
  eventType: string;
  orderId: string | null;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  attemptLog: Array<{ at: string; statusCode: number | null; durationMs: number; error: string | null }>;
}

export const webhookKeys = {
  all: ['webhooks'] as const,
  eventTypes: ['webhook-event-types'] as const,
  deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
};

export function useWebhooks() {
  return useQuery({
    queryKey: webhookKeys.all,
    queryFn: ({ signal }) => get<{ items: Webhook[] }>('/webhooks', signal).then((r) => r.items),
  });
}

export function useWebhookEventTypes() {
  return useQuery({
    queryKey: webhookKeys.eventTypes,
    queryFn: ({ signal }) => get<{ items: string[] }>('/webhooks/event-types', signal).then((r) => r.items),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useDeliveries(id: string) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id),
    queryFn: ({ signal }) =>
      get<{ items: WebhookDelivery[]; nextCursor: string | null }>(`/webhooks/${id}/deliveries?limit=50`, signal),
  });
}
