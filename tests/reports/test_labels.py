"""Report labels are the library's Chinese titles, never category paths or file keys."""

import pytest

from trainer.reports.labels import labels_for, step_label, topic_label


@pytest.mark.parametrize(
    ("category", "label"),
    [
        ("procedures", "服务流程"),
        ("procedures/account_closure", "服务流程 · 销户"),
        ("anti_fraud", "反电信网络诈骗"),
        ("procedures/fraud_check", "服务流程 · 涉诈风险核查（开户、补卡、复机）"),
        ("first_inquiry", "首问负责制"),
    ],
)
def test_a_category_path_reads_as_titles(category, label):
    assert topic_label(category) == label


def test_four_procedure_categories_get_four_different_labels():
    keys = [
        "procedures/open_account",
        "procedures/sim_replacement",
        "procedures/bill_payment",
        "procedures/plan_change",
    ]
    labels = labels_for({("topic", k) for k in keys})
    assert len(set(labels.values())) == 4


def test_a_step_of_a_newer_procedure_has_its_titles():
    label = step_label("fraud_check.spot_red_flags")
    assert label == "涉诈风险核查（开户、补卡、复机） · 识别风险信号"
