/** The model a new chat starts with when the browser names none. */
export const DEFAULT_CHAT_MODEL = 'gemini-3-flash-preview';
