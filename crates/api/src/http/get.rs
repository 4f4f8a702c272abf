//! GraphQL over HTTP's GET: the query in the URL, for queries only.

use super::*;

/// The parameters of a GET request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GetParams {
    pub(super) query: Option<String>,
    pub(super) operation_name: Option<String>,
    pub(super) variables: Option<String>,
    pub(super) extensions: Option<String>,
}

/// A GET parameter that must hold a JSON object (or null) when present.
pub(super) fn json_object_param(raw: Option<String>) -> Result<Option<serde_json::Value>, ()> {
    match raw.map(|raw| serde_json::from_str::<serde_json::Value>(&raw)) {
        None => Ok(None),
        Some(Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Null))) => Ok(Some(v)),
        Some(_) => Err(()),
    }
}

/// `GET /graphql`: queries only.
pub async fn get(state: web::Data<GraphqlState>, req: HttpRequest) -> HttpResponse {
    let Some(media) = negotiate(&req) else {
        return not_acceptable();
    };
    let params = match web::Query::<GetParams>::from_query(req.query_string()) {
        Ok(params) => params.into_inner(),
        Err(_) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "malformed query string",
                "BAD_USER_INPUT",
            );
        }
    };
    let query = params.query.filter(|q| !q.trim().is_empty());
    let variables = match json_object_param(params.variables) {
        Ok(v) => v,
        Err(()) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "`variables` must be a JSON object",
                "BAD_USER_INPUT",
            );
        }
    };
    let extensions = match json_object_param(params.extensions) {
        Ok(v) => v,
        Err(()) => {
            return reject(
                StatusCode::BAD_REQUEST,
                media,
                "`extensions` must be a JSON object",
                "BAD_USER_INPUT",
            );
        }
    };
    // A persisted operation may be named by its hash alone.
    let persisted = matches!(&extensions, Some(serde_json::Value::Object(map)) if map.contains_key("persistedQuery"));
    if query.is_none() && !persisted {
        return reject(
            StatusCode::BAD_REQUEST,
            media,
            "the `query` parameter is required",
            "BAD_USER_INPUT",
        );
    }
    let mut request = Request::new(query.unwrap_or_default());
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = variables {
        request = request.variables(async_graphql::Variables::from_json(variables));
    }
    if let Some(serde_json::Value::Object(map)) = extensions {
        for (key, value) in map {
            if let Ok(value) = Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
    }
    let actor = match admit(&state, &req, media).await {
        Ok(actor) => actor,
        Err(refusal) => return refusal,
    };
    run(&state, media, vec![request], Via::Get, actor, &req).await
}
