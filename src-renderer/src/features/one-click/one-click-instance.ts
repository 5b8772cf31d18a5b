/** The window's one one-click store (preferences through the desk storage, arming through the engine), and a hook to read it. */
import { useStore } from 'zustand';
import { invoke } from '../../api/invoke';
import { deskStorage } from '../../store/desk-storage';
import { createOneClickStore, type OneClickStore } from './one-click-store';

export const oneClickStore = createOneClickStore(deskStorage, (venue, armed) => invoke('oneClick.arm', { venue, armed }));

export const useOneClick = <T>(select: (s: OneClickStore) => T): T => useStore(oneClickStore, select);
