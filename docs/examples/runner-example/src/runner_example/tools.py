"""The library's database and the tools the agent may call."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from runner import DB, ToolKit, tool

LOAN_DAYS = 21


class Book(BaseModel):
    book_id: str
    title: str
    author: str
    borrowed_by: str | None = None
    due: str | None = None


class LibraryDB(DB):
    """Everything the library knows; ``today`` is fixed so that results are reproducible."""

    today: str
    books: dict[str, Book]


class LibraryTools(ToolKit):
    db: LibraryDB

    @tool
    def find_book(self, title: str) -> Book:
        """Find a book by its title.

        Args:
            title: The book's title, e.g. "Dune" (case does not matter).
        """
        for book in self.db.books.values():
            if book.title.lower() == title.strip().lower():
                return book
        raise ValueError(f"No book titled {title!r} in this library.")

    @tool(write=True)
    def borrow_book(self, book_id: str, patron: str) -> Book:
        """Lend a book to a patron for three weeks.

        Args:
            book_id: The book's id, as returned by find_book.
            patron: The patron's user name.
        """
        book = self.db.books.get(book_id)
        if book is None:
            raise ValueError(f"Unknown book id {book_id!r}.")
        if book.borrowed_by is not None:
            raise ValueError(f"{book.title!r} is on loan until {book.due}.")
        book.borrowed_by = patron
        book.due = (date.fromisoformat(self.db.today) + timedelta(days=LOAN_DAYS)).isoformat()
        return book

    # Not a tool (no @tool): tasks use it in env_assertions to check the final state.
    def is_borrowed_by(self, book_id: str, patron: str) -> bool:
        return self.db.books[book_id].borrowed_by == patron
