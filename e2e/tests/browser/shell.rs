//! The SPA shell: it loads, shows the API's health, switches language (remembered across
//! reloads), loads deep links directly, and the API docs render.

use crate::harness::{Browser, with_browser};

#[tokio::test]
async fn the_spa_loads_and_shows_the_health_of_the_api() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.goto("/").await?;
            b.wait_text("[data-testid=app-title]", |t| !t.is_empty())
                .await?;
            b.click("[data-testid=nav-status]").await?;
            b.wait_text("[data-testid=health-status]", |t| t == "ok")
                .await?;
            b.wait_text("[data-testid=ready-status]", |t| t == "ok")
                .await?;
            // The public readiness answer is a summary: the checks one by one (migrations,
            // keys) are for platform staff only (`/api/staff/ready`).
            b.wait_text("[data-testid=app-version]", |t| !t.is_empty())
                .await?;
            b.wait_text("[data-testid=status-summary]", |t| !t.is_empty())
                .await?;
            anyhow::ensure!(
                b.count("[data-testid^=ready-check-]").await? == 0,
                "the public status page lists the readiness checks"
            );
            anyhow::ensure!(
                b.current_path().await? == "/status",
                "navigation did not change the URL"
            );
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn the_language_switch_changes_the_text_and_is_remembered_across_reloads()
-> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.goto("/").await?;
            b.click("[data-testid=lang-en]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "Welcome to ExamCloud")
                .await?;
            b.click("[data-testid=lang-zh-CN]").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "欢迎使用考试云")
                .await?;
            b.client.refresh().await?;
            b.wait_text("[data-testid=page-title]", |t| t == "欢迎使用考试云")
                .await?;
            let lang = b
                .client
                .execute("return document.documentElement.lang", vec![])
                .await?;
            anyhow::ensure!(lang.as_str() == Some("zh-CN"), "html lang is {lang}");
            b.click("[data-testid=lang-en]").await?;
            b.goto("/status").await?;
            b.wait_text("[data-testid=page-title]", |t| t == "System status")
                .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn deep_links_load_directly() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.goto("/status").await?;
            b.wait_text("[data-testid=health-status]", |t| t == "ok")
                .await?;
            b.goto("/zh/anything").await?;
            b.wait_text("[data-testid=page-title]", |t| {
                t == "Page not found" || t == "页面不存在"
            })
            .await?;
            b.click("[data-testid=nav-home]").await?;
            b.wait_text("[data-testid=page-title]", |t| {
                t == "Welcome to ExamCloud" || t == "欢迎使用考试云"
            })
            .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}

#[tokio::test]
async fn the_api_docs_render_in_the_browser() -> anyhow::Result<()> {
    with_browser(|b: Browser| async move {
        let result = async {
            b.goto("/api/docs/").await?;
            b.wait_text(".swagger-ui .info .title", |t| t.contains("ExamCloud API"))
                .await?;
            b.wait_text(".swagger-ui .opblock-summary-path", |t| {
                t.starts_with("/api/")
            })
            .await?;
            Ok(())
        }
        .await;
        (b, result)
    })
    .await
}
