import { DomainError } from '../../platform/errors.js';

export function giftNotFound(giftId: string): DomainError {
  return new DomainError('gift_not_found', `gift ${giftId} does not exist`);
}

export function categoryNotFound(categoryId: string): DomainError {
  return new DomainError('category_not_found', `category ${categoryId} does not exist`);
}
