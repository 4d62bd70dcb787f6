// Customer records as the API returns them, and the queries the customer pages and the new-order form read.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get, query } from '../api/client.ts';
import type { Order, Page } from '../api/types.ts';

export interface Contact {
  name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
}

interface CustomerBase {
  id: string;
  name: string;
  email: string | null;
  contacts: Contact[];
  addresses: string[];
  notes: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerSummary extends CustomerBase {
  orders: number;
  openOrders: number;
}

export interface Customer extends CustomerBase {
  record: {
    open: number;
    completed: number;
    cancelled: number;
    withDueDate: number;
    onTime: number;
    onTimeRate: number | null;
    averageLeadDays: number | null;
  };
}

export const customerKeys = {
  all: ['customers'] as const,
  list: (q: string) => ['customers', 'list', q] as const,
  one: (id: string) => ['customers', 'one', id] as const,
  orders: (id: string, status: 'open' | 'done') => ['customers', 'orders', id, status] as const,
};

/** Customers whose name or e-mail contains `q` (all of them, by name, without it). */
export function useCustomerSearch(q: string, opts: { limit?: number; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...customerKeys.list(q), opts.limit ?? 50],
    queryFn: async ({ signal }): Promise<CustomerSummary[]> =>
      (await get<Page<CustomerSummary>>(`/customers${query({ q: q || undefined, limit: opts.limit ?? 50 })}`, signal)).items,
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
}

export function useCustomer(id: string) {
  return useQuery({
    queryKey: customerKeys.one(id),
    queryFn: ({ signal }) => get<Customer>(`/customers/${encodeURIComponent(id)}`, signal),
    retry: false,
  });
}

export function useCustomerOrders(id: string, status: 'open' | 'done') {
  return useQuery({
    queryKey: customerKeys.orders(id, status),
    queryFn: ({ signal }) =>
      get<Page<Order>>(`/customers/${encodeURIComponent(id)}/orders${query({ status, limit: 200 })}`, signal).then(
        (r) => r.items,
      ),
  });
}

export const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}`;
