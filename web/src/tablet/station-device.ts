// Whether this browser is a shared station tablet, and how long its sessions may sit idle: remembered on the device
// (the station's token itself is in an httpOnly cookie the app never sees).
import { post, setCsrfToken } from '../api/client.ts';
import type { Me } from '../api/types.ts';

const STATION_KEY = 'floorboard.station';

export interface StationDevice {
  name: string;
  idleSeconds: number;
}

export function stationDevice(): StationDevice | null {
  try {
    const raw = localStorage.getItem(STATION_KEY);
    return raw ? (JSON.parse(raw) as StationDevice) : null;
  } catch {
    return null;
  }
}

export function forgetStation(): void {
  localStorage.removeItem(STATION_KEY);
}

/** Makes this browser a station with the token from the station's link. */
export async function pairStation(token: string): Promise<StationDevice> {
  const station = await post<StationDevice>('/station/pair', { token });
  localStorage.setItem(STATION_KEY, JSON.stringify(station));
  return station;
}

export async function switchTo(userId: string, pin: string): Promise<Me> {
  const me = await post<Me>('/station/switch', { userId, pin });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function stationSignOut(): Promise<void> {
  try {
    await post('/station/sign-out');
  } finally {
    setCsrfToken(null);
  }
}
