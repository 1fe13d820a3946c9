//! The partner verification API: `POST /api/v1/tokens/verify` and its OpenAPI document at
//! `GET /api/v1/openapi.json`. Plain JSON over axum (partners do not speak Leptos' server
//! functions); every answer, errors included, is described by [`openapi`].

use crate::state::AppState;
use crate::token::verify::{VerifyError, authenticate, verify};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The body of a verification request.
#[derive(serde::Deserialize)]
struct VerifyRequest {
    token: String,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(json!({ "error": code, "message": message }))).into_response()
}

/// The key from `Authorization: Bearer <key>`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(key)
}

/// `POST /api/v1/tokens/verify`.
pub async fn verify_token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let client = match authenticate(&state, bearer(&headers)).await {
        Ok(client) => client,
        Err(VerifyError::Internal) => return internal(),
        Err(_) => return unauthorised(),
    };
    let Ok(request) = serde_json::from_slice::<VerifyRequest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "The body must be a JSON object with a string field \"token\".",
        );
    };
    match verify(&state, client, &request.token, crate::db::now()).await {
        Ok(verdict) => (StatusCode::OK, axum::Json(verdict)).into_response(),
        Err(VerifyError::BadKey) => unauthorised(),
        Err(VerifyError::Malformed) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "malformed_token",
            "A token is 8 lowercase letters or digits, \"@\", then 16 lowercase letters or digits.",
        ),
        Err(VerifyError::RateLimited { retry_after }) => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "This client has used its checks for the current minute.",
            );
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(VerifyError::Internal) => internal(),
    }
}

fn unauthorised() -> Response {
    let mut response = error(
        StatusCode::UNAUTHORIZED,
        "invalid_api_key",
        "Send your partner API key as \"Authorization: Bearer <key>\".",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"partner-api\""),
    );
    response
}

fn internal() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "The check failed on our side; try again.",
    )
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_document(State(state): State<AppState>) -> Response {
    axum::Json(openapi(&state.config.public_url)).into_response()
}

/// The OpenAPI 3.0 description of the partner API. The contract test (`scripts/contract.sh`,
/// schemathesis) holds the running server to it.
pub fn openapi(public_url: &str) -> Value {
    use crate::token::model::Outcome;
    // OpenAPI 3.0: a nullable enum lists null among its values.
    let mut reasons: Vec<Value> = Outcome::ALL
        .iter()
        .filter(|o| **o != Outcome::Valid)
        .map(|o| json!(o.as_str()))
        .collect();
    reasons.push(Value::Null);
    let error_body = json!({ "$ref": "#/components/schemas/Error" });
    let error_response = |description: &str| json!({ "description": description, "content": { "application/json": { "schema": error_body } } });
    let mut too_many = error_response("This client used its checks of the last minute (60 unless agreed otherwise).");
    too_many["headers"] = json!({
        "Retry-After": {
            "description": "Seconds to wait before the next check.",
            "required": true,
            "schema": { "type": "integer", "minimum": 1 }
        }
    });
    let mut unauthorised = error_response("No key, or a key that is unknown or revoked.");
    unauthorised["headers"] = json!({
        "WWW-Authenticate": { "required": true, "schema": { "type": "string" } }
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Validation token API",
            "version": "1.0.0",
            "description": "Partners of the technology donation programme check the validation tokens (\"jetons de validation\") that organisations give them: is the token genuine and alive, which validated organisation it stands for, and whether that organisation is qualified for the calling partner. Every check is logged and shown to the organisation's account holder."
        },
        "servers": [{ "url": public_url }],
        "security": [{ "partnerKey": [] }],
        "paths": {
            "/api/v1/tokens/verify": {
                "post": {
                    "operationId": "verifyToken",
                    "summary": "Check a validation token",
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/json": {
                                "schema": { "$ref": "#/components/schemas/VerifyRequest" }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "The verdict. `valid` is true only for a live token of a validated organisation qualified for the calling partner; otherwise `reason` says why.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Verdict" } } }
                        },
                        "400": error_response("The body is not a JSON object with a string field `token`."),
                        "401": unauthorised,
                        "422": error_response("The token does not have the token shape."),
                        "429": too_many,
                        "500": error_response("The check failed on the programme's side.")
                    }
                }
            }
        },
        "components": {
            "securitySchemes": {
                "partnerKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The key the programme's staff gave your organisation (shown once, at creation)."
                }
            },
            "schemas": {
                "VerifyRequest": {
                    "type": "object",
                    "required": ["token"],
                    "properties": {
                        "token": {
                            "type": "string",
                            "pattern": crate::token::rules::PATTERN,
                            "example": "123a4567@1b234c5de6789000"
                        }
                    }
                },
                "Verdict": {
                    "type": "object",
                    "required": ["valid", "reason", "partner", "checked_at", "expires_at", "organisation", "qualified_partners"],
                    "properties": {
                        "valid": { "type": "boolean" },
                        "reason": {
                            "type": "string",
                            "nullable": true,
                            "enum": reasons,
                            "description": "Null when valid."
                        },
                        "partner": { "type": "string", "description": "The calling partner." },
                        "checked_at": { "type": "string", "format": "date-time" },
                        "expires_at": {
                            "type": "string",
                            "format": "date-time",
                            "nullable": true,
                            "description": "Null for an unknown token."
                        },
                        "organisation": {
                            "type": "object",
                            "nullable": true,
                            "description": "Given when the token is alive and its organisation validated (valid, or not_qualified); null otherwise.",
                            "required": ["name", "country", "enterprise_number", "legal_form"],
                            "properties": {
                                "name": { "type": "string" },
                                "country": { "type": "string", "enum": ["BE", "LU"] },
                                "enterprise_number": { "type": "string" },
                                "legal_form": { "type": "string" }
                            }
                        },
                        "qualified_partners": {
                            "type": "array",
                            "items": { "type": "string" },
                            "description": "The calling partner, when the organisation is qualified for it; empty otherwise (and when `organisation` is null). It never names other partners."
                        }
                    }
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {
                        "error": { "type": "string" },
                        "message": { "type": "string" }
                    }
                }
            }
        }
    })
}
