"""Write the plugin's own airline tasks (``tasks.json``, ``split_tasks.json``) against ``db.json``.

Run from the repository root after ``build_dataset.py``:
``.venv/bin/python plugins/airline/scripts/build_tasks.py``.

Each task is a customer's story (in τ²-bench's structured form) with the tool calls a correct
agent makes when it follows ``policy.md``. Amounts (fares, differences, refunds) are read from
the database rather than typed in, and every task's expected actions are executed on a fresh
environment before anything is written: a task whose actions fail is a bug in this file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runner import ToolCall
from runner_airline.domain import AirlineDomain
from runner_airline.models import FlightDB

DATA = Path(__file__).resolve().parents[1] / "src" / "runner_airline" / "data"
DB = FlightDB.load(DATA / "db.json")
TEST_EVERY = 3  # every third task (ids 2, 5, 8, ...) is in "test", the others in "train"


def fare(number: str, day: str, cabin: str) -> int:
    return DB.flights[number].dates[day].prices[cabin]


def paid(reservation_id: str) -> int:
    r = DB.reservations[reservation_id]
    return sum(f.price for f in r.flights) * len(r.passengers)


def pax(*people: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"first_name": f, "last_name": last, "dob": dob} for f, last, dob in people]


def legs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"flight_number": n, "date": d} for n, d in pairs]


def task(
    tid: int,
    purpose: str,
    reason: str,
    known: str,
    instructions: str,
    actions: list[tuple[str, dict[str, Any]]],
    unknown: str | None = None,
    communicate: list[str] | None = None,
    nl: list[str] | None = None,
    compare_args: dict[int, list[str]] | None = None,
) -> dict[str, Any]:
    expected = []
    for i, (name, args) in enumerate(actions):
        action: dict[str, Any] = {
            "action_id": f"{tid}_{i}",
            "name": name,
            "arguments": args,
            "info": None,
        }
        if compare_args and i in compare_args:
            action["compare_args"] = compare_args[i]
        expected.append(action)
    return {
        "id": str(tid),
        "description": {"purpose": purpose, "relevant_policies": None, "notes": None},
        "user_scenario": {
            "persona": None,
            "instructions": {
                "domain": "airline",
                "reason_for_call": reason,
                "known_info": known,
                "unknown_info": unknown,
                "task_instructions": instructions,
            },
        },
        "initial_state": None,
        "evaluation_criteria": {
            "actions": expected,
            "communicate_info": communicate or [],
            "nl_assertions": nl or [],
            "reward_basis": ["DB", "COMMUNICATE"],
        },
    }


def get_res(rid: str) -> tuple[str, dict[str, Any]]:
    return ("get_reservation_details", {"reservation_id": rid})


def get_user(uid: str) -> tuple[str, dict[str, Any]]:
    return ("get_user_details", {"user_id": uid})


def booking(
    uid: str,
    origin: str,
    destination: str,
    kind: str,
    cabin: str,
    flights: list[dict[str, str]],
    people: list[dict[str, str]],
    payments: list[tuple[str, int | None]],
    bags: int,
    paid_bags: int,
    insurance: str,
) -> tuple[tuple[str, dict[str, Any]], int]:
    """A book_reservation call; the one payment given as None takes whatever remains."""
    total = sum(fare(f["flight_number"], f["date"], cabin) for f in flights) * len(people)
    total += 30 * len(people) * (insurance == "yes") + 50 * paid_bags
    rest = total - sum(a for _, a in payments if a is not None)
    methods = [{"payment_id": p, "amount": rest if a is None else a} for p, a in payments]
    return (
        "book_reservation",
        {
            "user_id": uid,
            "origin": origin,
            "destination": destination,
            "flight_type": kind,
            "cabin": cabin,
            "flights": flights,
            "passengers": people,
            "payment_methods": methods,
            "total_baggages": bags,
            "nonfree_baggages": paid_bags,
            "insurance": insurance,
        },
    ), total


def tasks() -> list[dict[str, Any]]:
    out = []
    add = out.append
    refuse = "Agent should refuse"

    add(
        task(
            0,
            "Cancellation allowed: booked less than 24 hours ago.",
            "You booked a flight from New York to Chicago yesterday evening (reservation Q4RZ8M) "
            "and your plans changed; you want to cancel it and get your money back.",
            "You are Tomas Lindqvist, user id tomas_lindqvist_8830.",
            "Give the reason as a change of plans if asked. Confirm the cancellation when the agent "
            "asks. You do not need anything else.",
            [get_res("Q4RZ8M"), ("cancel_reservation", {"reservation_id": "Q4RZ8M"})],
        )
    )
    add(
        task(
            1,
            "Cancellation refused: basic economy, no insurance, booked long ago, change of plans.",
            "You want to cancel your flight from Los Angeles to Las Vegas on May 22 (reservation "
            "B7N2KD) because you no longer need to travel.",
            "You are Marcus Bell, user id marcus_bell_5519.",
            "Your reason is a change of plans. If the agent says it cannot be cancelled, ask once "
            "whether an exception is possible; if not, accept it and end the conversation. Do not "
            "accept any change other than a full cancellation.",
            [get_res("B7N2KD")],
            nl=[f"{refuse} to cancel the reservation."],
        )
    )
    add(
        task(
            2,
            "Cancellation allowed: business cabin.",
            "You and your wife cannot make your round trip between Chicago and Atlanta (reservation "
            "W3JX5T) because of a family event; cancel the whole reservation.",
            "You are Owen McBride, user id owen_mcbride_9405.",
            "Your reason is a family event (other reasons). Confirm the cancellation when asked.",
            [get_res("W3JX5T"), ("cancel_reservation", {"reservation_id": "W3JX5T"})],
        )
    )
    add(
        task(
            3,
            "Cancellation allowed: insured reservation, reason covered (health).",
            "You are sick and cannot fly from Seattle to San Francisco on May 18 (reservation "
            "H9PL2C). You want to cancel it.",
            "You are Priya Raman, user id priya_raman_2264.",
            "Your reason is illness; you bought travel insurance. Confirm when asked.",
            [get_res("H9PL2C"), ("cancel_reservation", {"reservation_id": "H9PL2C"})],
        )
    )
    add(
        task(
            4,
            "Cancellation refused: insured, but the reason (change of plans) is not covered.",
            "You want to cancel your May 20 flight from Boston to New York (reservation F2VW7Y).",
            "You are Hannah Fischer, user id hannah_fischer_4583.",
            "You simply changed your plans and say so if asked; you are not sick and the weather "
            "is fine. You think your travel insurance should cover any cancellation. If the agent "
            "refuses, accept it and end the conversation.",
            [get_res("F2VW7Y")],
            nl=[f"{refuse} to cancel the reservation."],
        )
    )
    add(
        task(
            5,
            "Cancellation allowed because the airline cancelled the flight; no compensation for a "
            "regular member in economy without insurance.",
            "Your flight from New York to Miami on May 17 (reservation M8TQ3A) was cancelled by the "
            "airline. You want to cancel the reservation and get a refund.",
            "You are Fatima Haddad, user id fatima_haddad_6142.",
            "After the cancellation, ask for some compensation for the trouble. If the agent says "
            "you are not eligible, accept and end the conversation.",
            [
                get_res("M8TQ3A"),
                ("get_flight_status", {"flight_number": "HAT131", "date": "2024-05-17"}),
                ("cancel_reservation", {"reservation_id": "M8TQ3A"}),
            ],
            nl=["Agent should not offer or send a certificate."],
        )
    )
    add(
        task(
            6,
            "Compensation for a cancelled flight: gold member, two passengers, 100 each.",
            "Your flight from Boston to Miami on May 13 (reservation C5KD9R) was cancelled and you "
            "and your husband had to make other arrangements. You are upset and want compensation.",
            "You are Nadia Okafor, user id nadia_okafor_4127.",
            "Do not ask to cancel or change anything. Accept a travel certificate if offered.",
            [
                get_user("nadia_okafor_4127"),
                get_res("C5KD9R"),
                ("get_flight_status", {"flight_number": "HAT241", "date": "2024-05-13"}),
                ("send_certificate", {"user_id": "nadia_okafor_4127", "amount": 200}),
            ],
            communicate=["200"],
        )
    )
    add(
        task(
            7,
            "Delayed flight: cancel the business reservation, then compensate 50 per passenger.",
            "Your business-class flight from Los Angeles to Chicago today (reservation Z6YH4E) is "
            "delayed by more than three hours. You no longer want to travel; cancel the reservation.",
            "You are Elena Costa, user id elena_costa_7073.",
            "Your reason is the delay (other reasons). Once it is cancelled, complain about the "
            "delay and ask for compensation; accept a certificate.",
            [
                get_res("Z6YH4E"),
                ("get_flight_status", {"flight_number": "HAT122", "date": "2024-05-15"}),
                ("cancel_reservation", {"reservation_id": "Z6YH4E"}),
                ("send_certificate", {"user_id": "elena_costa_7073", "amount": 50}),
            ],
            communicate=["50"],
        )
    )
    add(
        task(
            8,
            "Compensation refused: regular member, economy, no insurance.",
            "Your flight from Los Angeles to Las Vegas on May 14 (reservation J3RB6W) was cancelled. "
            "You want compensation for the cancelled flight.",
            "You are Lucia Moreno, user id lucia_moreno_1858.",
            "Insist once that you deserve something. If the agent still says no, end the conversation.",
            [get_user("lucia_moreno_1858"), get_res("J3RB6W")],
            nl=[f"{refuse} to offer compensation."],
        )
    )

    book9, total9 = booking(
        "samuel_adeyemi_2716",
        "JFK",
        "MIA",
        "one_way",
        "economy",
        legs(("HAT131", "2024-05-24")),
        pax(("Samuel", "Adeyemi", "1977-12-01")),
        [("credit_card_7344910", None)],
        1,
        0,
        "no",
    )
    add(
        task(
            9,
            "Book a one-way economy flight; one bag is free for a silver member.",
            "You want to book a one-way economy flight from New York (JFK) to Miami on May 24 for "
            "yourself.",
            "You are Samuel Adeyemi, user id samuel_adeyemi_2716. Your date of birth is 1977-12-01.",
            "You want the morning direct flight. You have one checked bag and do not want travel "
            "insurance. Pay with your credit card.",
            [
                get_user("samuel_adeyemi_2716"),
                (
                    "search_direct_flight",
                    {"origin": "JFK", "destination": "MIA", "date": "2024-05-24"},
                ),
                book9,
            ],
            communicate=[str(total9)],
        )
    )

    gift10 = 400
    book10, _ = booking(
        "kenji_watanabe_3390",
        "SFO",
        "SEA",
        "round_trip",
        "business",
        legs(("HAT181", "2024-05-23"), ("HAT182", "2024-05-26")),
        pax(("Kenji", "Watanabe", "1986-10-09"), ("Aiko", "Watanabe", "1988-02-14")),
        [("gift_card_3319074", gift10), ("credit_card_6650118", None)],
        3,
        0,
        "yes",
    )
    add(
        task(
            10,
            "Book a round trip in business for two, with insurance; gift card first, card for "
            "the rest; bags within the free allowance.",
            "You want to book a round trip from San Francisco to Seattle in business class for you "
            "and your wife Aiko, leaving May 23 and coming back May 26.",
            "You are Kenji Watanabe, user id kenji_watanabe_3390. Aiko is among your saved passengers.",
            "Take the direct flights. You want travel insurance and three checked bags in total. "
            "Use the whole balance of your gift card first and put the rest on your credit card.",
            [
                get_user("kenji_watanabe_3390"),
                (
                    "search_direct_flight",
                    {"origin": "SFO", "destination": "SEA", "date": "2024-05-23"},
                ),
                (
                    "search_direct_flight",
                    {"origin": "SEA", "destination": "SFO", "date": "2024-05-26"},
                ),
                book10,
            ],
        )
    )

    cert11 = 500
    book11, _ = booking(
        "diego_ramirez_6620",
        "ORD",
        "DEN",
        "one_way",
        "economy",
        legs(("HAT151", "2024-05-24")),
        pax(
            ("Diego", "Ramirez", "1981-08-11"),
            ("Carmen", "Ramirez", "1983-09-29"),
            ("Mateo", "Ramirez", "2010-02-07"),
        ),
        [("certificate_9931207", cert11), ("credit_card_6172539", None)],
        0,
        0,
        "no",
    )
    add(
        task(
            11,
            "Book for three with a travel certificate and a credit card for the remainder.",
            "You want to book a one-way economy flight from Chicago to Denver on May 24 for you, "
            "your wife Carmen and your son Mateo.",
            "You are Diego Ramirez, user id diego_ramirez_6620. Carmen and Mateo are saved passengers.",
            "No checked bags, no insurance. Use your travel certificate and pay whatever is left "
            "with your credit card.",
            [
                get_user("diego_ramirez_6620"),
                (
                    "search_direct_flight",
                    {"origin": "ORD", "destination": "DEN", "date": "2024-05-24"},
                ),
                book11,
            ],
        )
    )

    book12, total12 = booking(
        "hannah_fischer_4583",
        "BOS",
        "JFK",
        "one_way",
        "basic_economy",
        legs(("HAT141", "2024-05-26")),
        pax(("Hannah", "Fischer", "1995-05-27")),
        [("credit_card_2908173", None)],
        2,
        2,
        "no",
    )
    add(
        task(
            12,
            "Book basic economy for a regular member: both checked bags are paid.",
            "You want the cheapest seat from Boston to New York (JFK) on May 26.",
            "You are Hannah Fischer, user id hannah_fischer_4583. Your date of birth is 1995-05-27.",
            "Choose basic economy. You are bringing two checked bags. No insurance. Pay with your "
            "credit card.",
            [
                get_user("hannah_fischer_4583"),
                (
                    "search_direct_flight",
                    {"origin": "BOS", "destination": "JFK", "date": "2024-05-26"},
                ),
                book12,
            ],
            communicate=[str(total12)],
        )
    )

    book13, _ = booking(
        "priya_raman_2264",
        "SEA",
        "LAX",
        "one_way",
        "economy",
        legs(("HAT172", "2024-05-24"), ("HAT161", "2024-05-24")),
        pax(("Priya", "Raman", "1988-12-03")),
        [("gift_card_6402219", 120), ("gift_card_6402220", 75), ("credit_card_1188352", None)],
        0,
        0,
        "no",
    )
    add(
        task(
            13,
            "Book a one-stop itinerary and pay with two gift cards and a credit card.",
            "You want to fly one way from Seattle to Los Angeles on May 24 in economy.",
            "You are Priya Raman, user id priya_raman_2264.",
            "If there is no direct flight, you accept one stop, as long as you arrive the same day. "
            "No bags, no insurance. Use up both of your gift cards and put the rest on your credit "
            "card.",
            [
                get_user("priya_raman_2264"),
                (
                    "search_direct_flight",
                    {"origin": "SEA", "destination": "LAX", "date": "2024-05-24"},
                ),
                (
                    "search_onestop_flight",
                    {"origin": "SEA", "destination": "LAX", "date": "2024-05-24"},
                ),
                book13,
            ],
        )
    )

    new14 = legs(("HAT101", "2024-05-19"), ("HAT102", "2024-05-28"))
    kept14 = DB.reservations["P7GT2N"].flights[0].price  # the outbound keeps the price paid
    diff14 = kept14 + fare("HAT102", "2024-05-28", "economy") - paid("P7GT2N")
    add(
        task(
            14,
            "Move the return flight of a round trip to a later date; pay the fare difference.",
            "You want to come back from Los Angeles two days later, on May 28, on your round trip "
            "P7GT2N; keep the outbound flight as it is.",
            "You are Kenji Watanabe, user id kenji_watanabe_3390.",
            "Keep the same flight number and cabin for the return. Pay any difference with your "
            "credit card.",
            [
                get_res("P7GT2N"),
                (
                    "search_direct_flight",
                    {"origin": "LAX", "destination": "JFK", "date": "2024-05-28"},
                ),
                (
                    "update_reservation_flights",
                    {
                        "reservation_id": "P7GT2N",
                        "cabin": "economy",
                        "flights": new14,
                        "payment_id": "credit_card_6650118",
                    },
                ),
            ],
            communicate=[str(diff14)],
        )
    )
    add(
        task(
            15,
            "Upgrade both passengers to business; pay the difference with a gift card.",
            "You want to upgrade reservation D4SX8K (Atlanta to Miami on May 21, two passengers) "
            "from economy to business.",
            "You are Fatima Haddad, user id fatima_haddad_6142.",
            "Keep the same flight. Pay the difference with your gift card.",
            [
                get_res("D4SX8K"),
                (
                    "search_direct_flight",
                    {"origin": "ATL", "destination": "MIA", "date": "2024-05-21"},
                ),
                (
                    "update_reservation_flights",
                    {
                        "reservation_id": "D4SX8K",
                        "cabin": "business",
                        "flights": legs(("HAT191", "2024-05-21")),
                        "payment_id": "gift_card_7781530",
                    },
                ),
            ],
        )
    )
    refund16 = paid("V2MC7L") - fare("HAT161", "2024-05-20", "economy")
    add(
        task(
            16,
            "Downgrade from business to economy; the difference is refunded to the card.",
            "You want to move reservation V2MC7L (Denver to Los Angeles on May 20) from business to "
            "economy to save money.",
            "You are Diego Ramirez, user id diego_ramirez_6620.",
            "Keep the same flight. The refund should go to your credit card. Ask how much you get back.",
            [
                get_res("V2MC7L"),
                (
                    "search_direct_flight",
                    {"origin": "DEN", "destination": "LAX", "date": "2024-05-20"},
                ),
                (
                    "update_reservation_flights",
                    {
                        "reservation_id": "V2MC7L",
                        "cabin": "economy",
                        "flights": legs(("HAT161", "2024-05-20")),
                        "payment_id": "credit_card_6172539",
                    },
                ),
            ],
            communicate=[str(refund16)],
        )
    )
    add(
        task(
            17,
            "Flight change refused: basic economy flights cannot be modified.",
            "You want to move your flight from New York to Los Angeles (reservation G5HN3Q) from "
            "May 22 to May 24, same cabin.",
            "You are Tomas Lindqvist, user id tomas_lindqvist_8830.",
            "You do not want to change cabin or pay for an upgrade. If the change is refused, end "
            "the conversation.",
            [get_res("G5HN3Q")],
            nl=[f"{refuse} to change the flight."],
        )
    )
    add(
        task(
            18,
            "Add checked bags: two free for a silver member in economy, the rest paid.",
            "You now need four checked bags on reservation K2WF6U (Chicago to Los Angeles, May 20).",
            "You are Priya Raman, user id priya_raman_2264.",
            "Pay for extra bags with your credit card.",
            [
                get_user("priya_raman_2264"),
                get_res("K2WF6U"),
                (
                    "update_reservation_baggages",
                    {
                        "reservation_id": "K2WF6U",
                        "total_baggages": 4,
                        "nonfree_baggages": 2,
                        "payment_id": "credit_card_1188352",
                    },
                ),
            ],
            communicate=["100"],
        )
    )
    add(
        task(
            19,
            "Correct a passenger's date of birth.",
            "The date of birth of your wife Grace on reservation N6AE1P is wrong; it should be "
            "1975-07-21.",
            "You are Owen McBride, user id owen_mcbride_9405.",
            "Nothing else needs to change.",
            [
                get_res("N6AE1P"),
                (
                    "update_reservation_passengers",
                    {
                        "reservation_id": "N6AE1P",
                        "passengers": pax(
                            ("Owen", "McBride", "1972-03-08"), ("Grace", "McBride", "1975-07-21")
                        ),
                    },
                ),
            ],
        )
    )
    add(
        task(
            20,
            "Adding a passenger is refused: the number of passengers cannot change.",
            "You want to add your friend Dana Price (born 1991-02-02) to your reservation B7N2KD.",
            "You are Marcus Bell, user id marcus_bell_5519.",
            "If the agent says it is impossible, ask whether a human could do it; if not, end the "
            "conversation. Do not book a new reservation.",
            [get_res("B7N2KD")],
            nl=[f"{refuse} to add a passenger."],
        )
    )
    add(
        task(
            21,
            "A trip partly flown cannot be cancelled by the agent: transfer to a human.",
            "You are ill and want to cancel your round trip R8UJ5B between Miami and Boston; you "
            "already flew the outbound leg on May 12.",
            "You are Elena Costa, user id elena_costa_7073.",
            "You have travel insurance. Insist on cancelling; accept a transfer to a human agent.",
            [
                get_res("R8UJ5B"),
                (
                    "transfer_to_human_agents",
                    {
                        "summary": "User wants to cancel round trip R8UJ5B for health "
                        "reasons; the outbound flight has already been flown."
                    },
                ),
            ],
            compare_args={1: []},
        )
    )
    add(
        task(
            22,
            "Find the reservation without its id, then cancel it (booked within 24 hours).",
            "You booked a flight from Seattle to New York this morning and want to cancel it "
            "because your plans changed.",
            "You are Hannah Fischer, user id hannah_fischer_4583.",
            "Confirm the cancellation when asked.",
            [
                get_user("hannah_fischer_4583"),
                get_res("F2VW7Y"),
                get_res("T4QZ9X"),
                ("cancel_reservation", {"reservation_id": "T4QZ9X"}),
            ],
            unknown="You do not remember the reservation id.",
        )
    )
    add(
        task(
            23,
            "Removing checked bags is refused.",
            "You want to reduce the checked bags on reservation E1BV4G from three to one and get "
            "money back.",
            "You are Nadia Okafor, user id nadia_okafor_4127.",
            "If the agent refuses, accept it and end the conversation.",
            [get_res("E1BV4G")],
            nl=[f"{refuse} to remove bags."],
        )
    )
    add(
        task(
            24,
            "Two changes on one reservation: swap the passenger, then add a paid bag.",
            "Your sister Yumi will take your place on round trip P7GT2N, and she needs three "
            "checked bags in total.",
            "You are Kenji Watanabe, user id kenji_watanabe_3390. Yumi Watanabe was born on "
            "1991-05-03 and is a saved passenger.",
            "Pay for any extra bag with your gift card.",
            [
                get_res("P7GT2N"),
                (
                    "update_reservation_passengers",
                    {
                        "reservation_id": "P7GT2N",
                        "passengers": pax(("Yumi", "Watanabe", "1991-05-03")),
                    },
                ),
                (
                    "update_reservation_baggages",
                    {
                        "reservation_id": "P7GT2N",
                        "total_baggages": 3,
                        "nonfree_baggages": 1,
                        "payment_id": "gift_card_3319074",
                    },
                ),
            ],
        )
    )
    return out


def check(all_tasks: list[dict[str, Any]]) -> None:
    """Every expected action runs without error on a fresh environment."""
    domain = AirlineDomain().configure({"data_dir": str(DATA)})
    for t in all_tasks:
        env = domain.environment()
        for a in t["evaluation_criteria"]["actions"]:
            result = env.execute(
                ToolCall(id=a["action_id"], name=a["name"], arguments=a["arguments"])
            )
            if result.error:
                raise SystemExit(f"task {t['id']}: {a['name']} failed: {result.content}")


def main() -> None:
    all_tasks = tasks()
    check(all_tasks)
    ids = [t["id"] for t in all_tasks]
    test = [i for i in ids if int(i) % TEST_EVERY == TEST_EVERY - 1]
    splits = {"train": [i for i in ids if i not in test], "test": test, "base": ids}
    (DATA / "tasks.json").write_text(
        json.dumps(all_tasks, indent=4, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (DATA / "split_tasks.json").write_text(json.dumps(splits, indent=4) + "\n", encoding="utf-8")
    print(f"wrote {len(all_tasks)} tasks to {DATA / 'tasks.json'}")


if __name__ == "__main__":
    main()
