//! `readOnly` and `writeOnly` over loopback: a create request leaves the
//! server-assigned `id` and `createdAt` out (though the schema lists them
//! in `required`), and the answer decodes without the write-only
//! `password` (`tests/fixtures/edge/read-write-only.yaml`).

use std::sync::{Arc, Mutex};

use codegen_runtime::server::Outcome;
use generated::read_write_only::client::Client;
use generated::read_write_only::server::{router, CreateAccountInput, Default as Accounts};
use generated::read_write_only::types::{Account, CreateAccountResponse};

/// Assigns the read-only properties and never answers the password; keeps
/// what it was given.
#[derive(Default)]
struct Assigner(Mutex<Vec<Account>>);

impl Accounts for Assigner {
    async fn create_account(&self, input: CreateAccountInput) -> Outcome<CreateAccountResponse> {
        self.0.lock().unwrap().push(input.body.clone());
        Ok(CreateAccountResponse::Created(Account {
            id: Some(7),
            owner_id: Some("owner-1".into()),
            created_at: Some(chrono::Utc::now()),
            password: None,
            ..input.body
        }))
    }
}

async fn serve() -> (String, Arc<Assigner>) {
    let service = Arc::new(Assigner::default());
    let app = router(service.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (format!("http://{addr}"), service)
}

#[tokio::test]
async fn requests_leave_read_only_out_and_answers_leave_write_only_out() {
    let (base, service) = serve().await;
    let client = Client::new(&base);
    let sent = Account {
        id: None,
        name: "ada".into(),
        password: Some("secret".into()),
        created_at: None,
        owner_id: None,
    };
    let CreateAccountResponse::Created(created) = client
        .default()
        .create_account(sent.clone())
        .send()
        .await
        .expect("create");
    assert_eq!(created.id, Some(7));
    // Read-only through the schema it references: absent in the request.
    assert_eq!(created.owner_id.as_deref(), Some("owner-1"));
    assert!(created.created_at.is_some());
    assert_eq!(created.password, None);
    assert_eq!(created.name, "ada");
    assert_eq!(service.0.lock().unwrap().as_slice(), [sent]);

    // On the wire: the request carried no `id` (the server got it as
    // `None` above); a body without the read-only properties is valid, and
    // the answer has no `password` key at all.
    let answer = reqwest::Client::new()
        .post(format!("{base}/accounts"))
        .json(&serde_json::json!({"name": "grace", "password": "pw"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["id"], 7);
    assert!(body.get("password").is_none(), "{body}");

    // Still required in the direction that has it: a request without the
    // write-only password is refused, naming it.
    let answer = reqwest::Client::new()
        .post(format!("{base}/accounts"))
        .json(&serde_json::json!({"name": "grace"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let problem: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(
        problem["violations"][0]["field"], "body.password",
        "{problem}"
    );
}
