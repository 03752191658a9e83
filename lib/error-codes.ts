/**
 * Every `code` Iris puts in an error, with the HTTP status it comes with and when. `ApiError` takes only these
 * codes (so a new one cannot be made up on the spot), `ApiError` checks the status against this table, and a test
 * checks the README's error table against it.
 */
export const ERROR_CODES = {
  // 400: the request is wrong; `param` says where.
  invalid_value: { status: 400, when: 'a field has a wrong value or shape' },
  invalid_json: { status: 400, when: 'the body is not a JSON object' },
  json_too_complex: { status: 400, when: 'JSON nested too deeply, or with too many keys or values, to read' },
  unsupported_parameter: { status: 400, when: 'a parameter Iris or Gemini cannot serve' },
  missing_user_message: { status: 400, when: 'no user message to answer' },
  missing_tool_result: { status: 400, when: 'a tool call without its result' },
  missing_tool_call: { status: 400, when: 'a function output that answers no call' },
  invalid_encrypted_content: { status: 400, when: "a reasoning item's encrypted_content Iris did not issue" },
  invalid_function_parameters: { status: 400, when: "a function's parameters schema Gemini cannot take" },
  schema_too_deep: { status: 400, when: 'a schema nested too deeply' },
  tool_choice_not_honoured: { status: 502, when: 'Gemini did not call the tool that tool_choice forced' },
  invalid_image_url: { status: 400, when: 'an image URL that is not http(s) or a data: URL' },
  invalid_base64: { status: 400, when: 'base64 data that does not decode' },
  invalid_image: { status: 400, when: 'bytes that are no image Iris accepts' },
  unsupported_image_type: { status: 400, when: 'an image format Gemini does not take' },
  media_type_mismatch: { status: 400, when: 'bytes that are not what their declared type says' },
  unsupported_file_type: { status: 400, when: 'a file that is not a PDF' },
  image_fetch_failed: { status: 400, when: 'an image URL that could not be fetched' },
  image_fetch_timeout: { status: 400, when: 'an image URL that took longer than IMAGE_FETCH_TIMEOUT_MS' },
  image_url_blocked: { status: 400, when: 'an image URL to a private or reserved address' },
  too_many_redirects: { status: 400, when: 'an image URL with more than 5 redirects' },
  too_many_images: { status: 400, when: 'more images than MAX_IMAGES_PER_REQUEST' },
  upstream_invalid_request: { status: 400, when: 'Gemini refused the request' },
  not_an_embedding_model: { status: 400, when: 'a chat model asked for embeddings (`param: "model"`)' },
  upload_first: { status: 400, when: 'a chat message naming a file that was not uploaded' },
  unknown_file: { status: 400, when: "a chat message naming a file that is not the owner's" },
  invalid_cursor: { status: 400, when: 'a chat list cursor Iris did not issue' },
  invalid_id: {
    status: 400,
    when: 'a chat or message id of the wrong shape, or a URL path that is not percent-encoded right',
  },
  message_too_long: { status: 400, when: 'a chat message with more text than CHAT_MAX_MESSAGE_CHARS' },
  invalid_title: { status: 400, when: 'a chat title too long or empty' },
  invalid_model: { status: 400, when: "a chat's model name of the wrong shape" },
  invalid_settings: { status: 400, when: 'chat settings of the wrong shape' },
  invalid_parts: { status: 400, when: 'message parts of the wrong shape' },
  inline_file_data: { status: 400, when: 'a stored message part carrying image bytes instead of a file reference' },
  invalid_role: { status: 400, when: 'a message role other than user or assistant' },
  invalid_status: { status: 400, when: 'a message status Iris does not know' },
  invalid_finish_reason: { status: 400, when: 'a finish reason too long' },
  invalid_usage: { status: 400, when: 'token counts that are not whole numbers' },
  invalid_error: { status: 400, when: 'an error text that is not a string' },
  invalid_notice: { status: 400, when: 'a notice text too long' },
  invalid_media_type: { status: 400, when: 'a media type of the wrong shape' },
  invalid_file: { status: 400, when: 'an uploaded file that is no image Iris accepts' },
  invalid_multipart: { status: 400, when: 'an upload body Iris cannot read' },
  invalid_limit: { status: 400, when: 'a list limit out of range' },
  invalid_query: { status: 400, when: 'a search query too long' },
  invalid_import: { status: 400, when: "an import that is neither Iris's chat JSON nor ChatGPT's conversations.json" },

  // 401 and 403: who is asking.
  missing_api_key: { status: 401, when: 'no key sent' },
  invalid_api_key: { status: 401, when: 'a wrong key, or a caller key Gemini refused' },
  gateway_keys_not_configured: { status: 401, when: 'production without API_KEYS' },
  not_signed_in: { status: 401, when: 'the chat without a session' },
  sign_in_not_needed: { status: 400, when: 'signing in on a server without API_KEYS' },
  cross_origin_request: { status: 403, when: 'a cookie-authenticated change from another site' },

  // 404 and 405: what is asked for.
  model_not_found: { status: 404, when: 'an unknown model (`param: "model"`)' },
  response_not_found: { status: 404, when: "an unknown, deleted, expired or another key's stored response" },
  chat_not_found: { status: 404, when: "an unknown chat, or another owner's" },
  message_not_found: { status: 404, when: "an unknown message, or another owner's" },
  file_not_found: { status: 404, when: "an unknown file, or another owner's" },
  share_not_found: { status: 404, when: 'an unknown or revoked share link, or a chat that is not shared' },
  unknown_url: { status: 404, when: 'an unknown /v1/… path' },
  method_not_allowed: { status: 405, when: 'a method the route does not serve (with `Allow`)' },

  // 408: too slow.
  request_timeout: { status: 408, when: 'a request body that stopped arriving for BODY_IDLE_TIMEOUT_MS' },

  // 409: the state does not allow it.
  chat_exists: { status: 409, when: 'a new chat with an id already taken' },
  message_exists: { status: 409, when: 'a message id already taken' },
  chat_busy: { status: 409, when: 'a chat that is still answering' },
  file_in_use: { status: 409, when: 'deleting an image that a message still shows' },

  // 413: too big.
  request_too_large: {
    status: 413,
    when: "a body over its route's limit (MAX_REQUEST_BYTES, MAX_UPLOAD_BYTES, CHAT_MAX_MESSAGE_CHARS)",
  },
  image_too_large: { status: 413, when: 'an image over MAX_IMAGE_BYTES' },
  images_too_large: { status: 413, when: 'all media of a request over MAX_TOTAL_IMAGE_BYTES' },
  file_too_large: { status: 413, when: 'an audio or PDF part over MAX_IMAGE_BYTES' },

  // 415: not JSON.
  unsupported_media_type: { status: 415, when: 'a JSON route sent a body without `Content-Type: application/json`' },

  // 429: slow down.
  rate_limit_exceeded: { status: 429, when: 'Gemini rate limit or quota; `Retry-After` from its RetryInfo' },
  too_many_failed_attempts: {
    status: 429,
    when: 'too many wrong keys from one client address (Bearer or sign-in); `Retry-After` says when to try again',
  },

  // 499: the caller went away (logged, never seen by the caller).
  client_closed: { status: 499, when: 'the caller hung up' },

  // 5xx: Iris or Gemini failed.
  internal_error: { status: 500, when: 'a failure Iris did not foresee (logged without content)' },
  upstream_error: { status: 502, when: 'Gemini failed (5xx)' },
  upstream_bad_response: { status: 502, when: 'Gemini sent a reply Iris cannot read' },
  upstream_auth_failed: { status: 502, when: "Gemini refused the server's key" },
  upstream_unreachable: { status: 502, when: 'Gemini could not be reached' },
  upstream_stream_interrupted: { status: 502, when: 'Gemini broke off a stream' },
  upstream_overloaded: { status: 503, when: 'Gemini overloaded; `Retry-After` passed on' },
  upstream_key_not_configured: { status: 503, when: 'a server without a Gemini key' },
  server_misconfigured: { status: 503, when: 'an invalid environment (the log says which variable)' },
  database_not_configured: { status: 503, when: 'the chat on a deployment without a database' },
  database_unavailable: {
    status: 503,
    when: 'the database cannot be reached or did not answer in time; `Retry-After` says when to try again',
  },
  upstream_timeout: { status: 504, when: 'Gemini did not answer within UPSTREAM_TIMEOUT_MS' },
} as const satisfies Record<string, { status: number; when: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
