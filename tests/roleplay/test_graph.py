"""The editor's SVG graph of a scenario."""

from trainer.roleplay.graph import scenario_svg
from trainer.roleplay.library_refs import SCENARIOS_DIR
from trainer.roleplay.scenario_format import parse_scenario


def spec(name: str):
    path = SCENARIOS_DIR / f"{name}.yaml"
    return parse_scenario(path.read_text(encoding="utf-8"), path.name)


def test_every_turn_and_ending_is_a_node():
    svg = str(scenario_svg(spec("complaint_overcharge_escalation")))
    for node in ("t:t1", "t:t1_angrier", "t:t5", "e:resolved", "e:brushed_off"):
        assert f'data-node="{node}"' in svg


def test_choices_to_the_same_place_share_one_labelled_arrow():
    svg = str(scenario_svg(spec("fault_report_first_inquiry")))
    assert svg.count("marker-end=") == 5  # t1→t2, t1→bounced (two choices), t2→t3, t3→2 endings
    assert ">2·1 / 3·0<" in svg


def test_customer_text_is_escaped():
    path = SCENARIOS_DIR / "bill_payment_queue.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "customer: 排了二十分钟！", "customer: <script>x</script>排了二十分钟！"
    )
    svg = str(scenario_svg(parse_scenario(text, path.name)))
    assert "<script" not in svg and "&lt;script&gt;" in svg
